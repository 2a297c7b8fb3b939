namespace PerfOtel.AlertQuality.History;

/// <summary>Components, queues, hosts and the monitoring pipeline itself.</summary>
internal sealed partial class HistoryGenerator
{
    private const double GiB = 1024.0 * 1024 * 1024;

    private static double DayShape(long t)
    {
        var h = HistoryClock.HourOfDay(t);
        var day = h < 6 || h > 22 ? 0 : 0.5 * (1 - Math.Cos(2 * Math.PI * (h - 6) / 16));
        return HistoryClock.IsWeekend(t) ? day * 0.5 : day;
    }

    private void Components()
    {
        var up = Family("perfotel_component_up", "gauge", OtherFile);
        var weight = Family("perfotel_component_weight", "gauge", OtherFile);
        var failures = Family("perfotel_component_consecutive_failures", "gauge", OtherFile);
        foreach (var component in fleet.Components)
        {
            var random = new RandomSource(options.Seed, "component:" + component.Name);
            var labels = $"{CollectorTarget("PerfOtel.Probes")},component=\"{component.Name}\",probe_kind=\"{component.ProbeKind}\"";
            var u = up.Add(new GaugeData(labels, collector, clock.Steps));
            var w = weight.Add(new GaugeData(labels, collector, clock.Steps));
            var f = failures.Add(new GaugeData(labels, collector, clock.Steps));
            var mine = incidents.Where(i => i.Entity == component.Name).ToList();
            double consecutive = 0;
            for (var k = 0; k < clock.Steps; k++)
            {
                var t = clock.TimeAt(k);
                var down = mine.Any(i => On(i, t));
                // Ordinary noise: about one failed probe (a timeout) per component every two days.
                var flap = !down && k > 0 && random.Chance(clock.StepSeconds / (2 * 86400.0));
                consecutive = down ? consecutive + Math.Max(1, clock.StepSeconds / 15) : flap ? 1 : 0;
                u.Values[k] = down || flap ? 0 : 1;
                w.Values[k] = component.Weight;
                f.Values[k] = consecutive;
            }
        }
    }

    private void Queues()
    {
        var depth = Family("agent_queue_depth", "gauge", OtherFile);
        var executors = Family("agent_queue_executors", "gauge", OtherFile);
        foreach (var queue in fleet.Queues)
        {
            var random = new RandomSource(options.Seed, "queue:" + queue.Name);
            var labels = $"{CollectorTarget("PerfOtel.Agents")},agent_queue_name=\"{queue.Name}\"";
            var d = depth.Add(new GaugeData(labels, collector, clock.Steps));
            var busy = executors.Add(new GaugeData(labels + ",agent_executor_state=\"busy\"", collector, clock.Steps));
            var idle = executors.Add(new GaugeData(labels + ",agent_executor_state=\"idle\"", collector, clock.Steps));
            var mine = incidents.Where(i => i.Entity == queue.Name).ToList();
            var noise = new SlowNoise(random, 0.1, 3600, clock.StepSeconds);
            int waiting = 0, serving = 0;
            for (var k = 0; k < clock.Steps; k++)
            {
                var t = clock.TimeAt(k);
                if (k > 0)
                {
                    var arrivalsPerMinute = IncidentPlanner.QueueArrivalsPerMinute(queue, t) * noise.Next();
                    var speed = 1.0;
                    foreach (var incident in mine.Where(i => On(i, t)))
                    {
                        if (incident.Kind.Name == "queue_exhausted")
                        {
                            arrivalsPerMinute = 0;
                        }
                        else
                        {
                            speed = incident.Magnitude;
                        }
                    }

                    var done = 0;
                    var p = 1 - Math.Exp(-clock.StepSeconds * speed / (queue.ServiceMinutes * 60));
                    for (var s = 0; s < serving; s++)
                    {
                        done += random.Chance(p) ? 1 : 0;
                    }

                    serving -= done;
                    waiting += random.Poisson(arrivalsPerMinute * clock.StepSeconds / 60);
                    var take = Math.Min(waiting, queue.Executors - serving);
                    waiting -= take;
                    serving += take;
                }

                d.Values[k] = waiting;
                busy.Values[k] = serving;
                idle.Values[k] = queue.Executors - serving;
            }
        }
    }

    private void Hosts()
    {
        var cpu = Family("node_cpu_seconds", "counter", OtherFile);
        var memTotal = Family("node_memory_MemTotal_bytes", "gauge", OtherFile);
        var memAvailable = Family("node_memory_MemAvailable_bytes", "gauge", OtherFile);
        var fsAvail = Family("node_filesystem_avail_bytes", "gauge", OtherFile);
        var fsSize = Family("node_filesystem_size_bytes", "gauge", OtherFile);
        var up = Family("up", "gauge", OtherFile);
        string[] modes = ["idle", "iowait", "steal", "system", "user"];
        foreach (var host in fleet.Hosts)
        {
            var random = new RandomSource(options.Seed, "host:" + host.Instance);
            var mine = incidents.Where(i => i.Entity == host.Instance).ToList();
            var exporter = new Availability(clock.Steps, restartsCounters: false);
            foreach (var down in mine.Where(i => i.Kind.Name == "exporter_down"))
            {
                exporter.Down(clock.StepAtOrAfter(down.Start), clock.StepAtOrBefore(down.End - 1));
            }

            var target = $"job=\"node\",instance=\"{host.Instance}\"";
            var upSeries = up.Add(new GaugeData(target, always, clock.Steps));
            var counters = new CounterData[host.Cpus, modes.Length];
            for (var c = 0; c < host.Cpus; c++)
            {
                for (var m = 0; m < modes.Length; m++)
                {
                    counters[c, m] = cpu.Add(new CounterData($"{target},cpu=\"{c}\",mode=\"{modes[m]}\"", exporter, clock.Steps, bornAtStart: true));
                }
            }

            var total = memTotal.Add(new GaugeData(target, exporter, clock.Steps));
            var available = memAvailable.Add(new GaugeData(target, exporter, clock.Steps));
            (string Labels, double Size)[] mounts =
            [
                ("device=\"/dev/vda1\",fstype=\"ext4\",mountpoint=\"/\"", 200 * GiB),
                ("device=\"/dev/vdb\",fstype=\"xfs\",mountpoint=\"/data\"", 500 * GiB),
                // Memory-backed and nearly full all the time: the disk alert must ignore it.
                ("device=\"tmpfs\",fstype=\"tmpfs\",mountpoint=\"/run\"", 1.6 * GiB),
            ];
            var avail = mounts.Select(m => fsAvail.Add(new GaugeData($"{target},{m.Labels}", exporter, clock.Steps))).ToArray();
            var size = mounts.Select(m => fsSize.Add(new GaugeData($"{target},{m.Labels}", exporter, clock.Steps))).ToArray();

            var cpuNoise = new SlowNoise(random, 0.04, 1800, clock.StepSeconds);
            var memNoise = new SlowNoise(random, 0.015, 3600, clock.StepSeconds);
            var burstUntil = -1L;
            for (var k = 0; k < clock.Steps; k++)
            {
                var t = clock.TimeAt(k);
                upSeries.Values[k] = exporter.Up[k] ? 1 : 0;

                // CPU: daily load, slow noise, and short bursts (builds, backups: 2 to 6 minutes, twice a day).
                var u = host.CpuBase + (host.CpuDaily * DayShape(t)) + cpuNoise.NextAdditive();
                if (burstUntil < t && random.Chance(clock.StepSeconds / (12 * 3600.0)))
                {
                    burstUntil = t + (long)random.Uniform(120, 360);
                }

                if (t <= burstUntil)
                {
                    u = 0.97;
                }

                // Memory and the root file system: ordinary level, or an incident's ramp, plateau and recovery.
                var memory = host.MemoryBase + (0.06 * DayShape(t)) + memNoise.NextAdditive();
                var disk = host.DiskBase + (0.004 * (t - clock.Start) / 86400.0) + (0.01 * Math.Sin(2 * Math.PI * HistoryClock.HourOfDay(t) / 24));
                foreach (var incident in mine)
                {
                    switch (incident.Kind.Name)
                    {
                        case "host_cpu" when On(incident, t): u = incident.Magnitude + (0.005 * random.Normal()); break;
                        case "host_memory": memory = Plateau(incident, t, memory, 0.003 * random.Normal()); break;
                        case "host_disk": disk = Plateau(incident, t, disk, 0); break;
                        default: break;
                    }
                }

                for (var c = 0; c < host.Cpus; c++)
                {
                    var uc = Math.Clamp(u + (0.02 * random.Normal()), 0.01, 0.985);
                    double[] seconds = [1 - uc - 0.012, 0.009, 0.003, 0.3 * uc, 0.7 * uc];
                    for (var m = 0; m < modes.Length; m++)
                    {
                        counters[c, m].Increments[k] = k == 0 ? 0 : seconds[m] * clock.StepSeconds;
                    }
                }

                total.Values[k] = 16 * GiB;
                available.Values[k] = Math.Round(16 * GiB * (1 - Math.Clamp(memory, 0.05, 0.995)));
                double[] used = [Math.Clamp(disk, 0.05, 0.995), 0.4 + (0.002 * (t - clock.Start) / 86400.0), 0.97];
                for (var m = 0; m < mounts.Length; m++)
                {
                    size[m].Values[k] = mounts[m].Size;
                    avail[m].Values[k] = Math.Round(mounts[m].Size * (1 - used[m]));
                }
            }
        }
    }

    /// <summary>A ramp from the ordinary value to the incident's level over its lead, the level until its end.</summary>
    private static double Plateau(Incident incident, long t, double ordinary, double jitter)
    {
        if (t <= incident.Start - incident.Lead || t > incident.End)
        {
            return ordinary;
        }

        if (t <= incident.Start)
        {
            var f = (double)(t - (incident.Start - incident.Lead)) / Math.Max(1, incident.Lead);
            return ordinary + ((incident.Magnitude - ordinary) * f);
        }

        return incident.Magnitude + jitter;
    }

    private void Monitoring()
    {
        var random = new RandomSource(options.Seed, "monitoring");
        const string Prometheus = "job=\"prometheus\",instance=\"prometheus:9090\"";
        const string Alertmanager = "job=\"alertmanager\",instance=\"alertmanager:9093\"";
        var dt = clock.StepSeconds;

        var up = Family("up", "gauge", OtherFile);
        var collectorUp = up.Add(new GaugeData($"job=\"perfotel-collector\",instance=\"{Fleet.CollectorInstance}\"", always, clock.Steps));
        var prometheusUp = up.Add(new GaugeData(Prometheus, always, clock.Steps));
        var alertmanagerUp = up.Add(new GaugeData(Alertmanager, always, clock.Steps));
        var started = Family("process_start_time_seconds", "gauge", OtherFile).Add(new GaugeData(Prometheus, always, clock.Steps));
        for (var k = 0; k < clock.Steps; k++)
        {
            collectorUp.Values[k] = collector.Up[k] ? 1 : 0;
            prometheusUp.Values[k] = 1;
            alertmanagerUp.Values[k] = 1;
            started.Values[k] = clock.Start - 3600;
        }

        string[] groups = [IncidentPlanner.RuleGroupSlow, IncidentPlanner.RuleGroupFailing, "/etc/prometheus/rules/perfotel-alerts.yml;perfotel-alerts"];
        var evaluationFailures = Family("prometheus_rule_evaluation_failures", "counter", OtherFile);
        var iterationsMissed = Family("prometheus_rule_group_iterations_missed", "counter", OtherFile);
        foreach (var group in groups)
        {
            var failures = evaluationFailures.Add(new CounterData($"{Prometheus},rule_group=\"{group}\"", always, clock.Steps, bornAtStart: true));
            var missed = iterationsMissed.Add(new CounterData($"{Prometheus},rule_group=\"{group}\"", always, clock.Steps, bornAtStart: true));
            for (var k = 1; k < clock.Steps; k++)
            {
                var t = clock.TimeAt(k);
                failures.Increments[k] = incidents.Any(i => i.Kind.Name == "rule_eval_failures" && i.Labels["rule_group"] == group && On(i, t)) ? dt / 15.0 : 0;
                missed.Increments[k] = incidents.Any(i => i.Kind.Name == "rule_iterations_missed" && i.Labels["rule_group"] == group && On(i, t)) ? dt / 60.0 : 0;
            }
        }

        var errors = Family("prometheus_notifications_errors", "counter", OtherFile)
            .Add(new CounterData($"{Prometheus},alertmanager=\"{IncidentPlanner.AlertmanagerUrl}\"", always, clock.Steps, bornAtStart: true));
        Family("prometheus_notifications_dropped", "counter", OtherFile).Add(new CounterData(Prometheus, always, clock.Steps, bornAtStart: true));
        for (var k = 1; k < clock.Steps; k++)
        {
            var t = clock.TimeAt(k);
            errors.Increments[k] = Active("alert_delivery_failing").Any(i => On(i, t)) ? dt / 15.0 * 2 : 0;
        }

        // Notifications per minute by integration; a single failure now and then is ordinary (a Slack 5xx).
        (string Integration, double PerMinute)[] integrations = [("email", 0.05), ("slack", 0.3), ("webhook", 0.5)];
        var sent = Family("alertmanager_notifications", "counter", OtherFile);
        var failed = Family("alertmanager_notifications_failed", "counter", OtherFile);
        foreach (var (integration, perMinute) in integrations)
        {
            var s = sent.Add(new CounterData($"{Alertmanager},integration=\"{integration}\"", always, clock.Steps, bornAtStart: true));
            var f = failed.Add(new CounterData($"{Alertmanager},integration=\"{integration}\"", always, clock.Steps, bornAtStart: true));
            for (var k = 1; k < clock.Steps; k++)
            {
                var t = clock.TimeAt(k);
                var failing = incidents.Any(i => i.Kind.Name == "notifications_failing" && i.Labels["integration"] == integration && On(i, t));
                var n = random.Poisson((failing ? 1 : perMinute) * dt / 60);
                var bad = failing ? Enumerable.Range(0, n).Count(_ => random.Chance(0.5)) : random.Chance(dt / (9 * 86400.0)) ? 1 : 0;
                s.Increments[k] = n + (failing ? 0 : bad);
                f.Increments[k] = bad;
            }
        }

        // Rejected ingest batches: a few malformed ones a day; the incident is a stream of unauthorized ones.
        var rejected = Family("perfotel_ingest_rejected_batches", "counter", OtherFile);
        (string Reason, double PerDay)[] reasons = [("invalid", 3), ("too_large", 1), ("unauthorized", 0.5)];
        foreach (var (reason, perDay) in reasons)
        {
            var r = rejected.Add(new CounterData($"{CollectorTarget("PerfOtel.Collector")},reason=\"{reason}\"", collector, clock.Steps, bornAtStart: false));
            for (var k = 1; k < clock.Steps; k++)
            {
                var t = clock.TimeAt(k);
                var storm = incidents.Any(i => i.Kind.Name == "ingest_rejected" && i.Labels["reason"] == reason && On(i, t));
                r.Increments[k] = random.Poisson(storm ? 2.0 * dt / 60 : perDay * dt / 86400);
            }
        }
    }
}
