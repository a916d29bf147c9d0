return await Ocht.Worker.WorkerApp.MainAsync(args);
