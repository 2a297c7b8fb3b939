using PerfOtel.LoadGen;

return await LoadGenCommand.Create().Parse(args).InvokeAsync();
