using PerfOtel.DemoFleet;

return await DemoFleetCommand.Create(Environment.GetEnvironmentVariables()).Parse(args).InvokeAsync();
