return await Ocht.Cli.CliApp.MainAsync(args);
