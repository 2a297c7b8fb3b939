# sed -E script: deploy/alertmanager/alertmanager.yml (the one routing, shared with the demo) -> the production
# profile's. The collector serves HTTPS with the private CA's certificate, so the alert log webhook goes over https
# and trusts that CA. Applied by docker-compose.production.yml, the native runner and the tests:
#   sed -E -f deploy/production/alertmanager/production.sed deploy/alertmanager/alertmanager.yml > alertmanager.yml
s#url: http://collector:8080/v1/alerts#url: https://collector:8080/v1/alerts#
s#^( *)http_config:$#&\n\1  tls_config:\n\1    ca_file: /run/perfotel/production/tls/ca.crt#
