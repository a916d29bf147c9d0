return await Ocht.Poly.PolyApp.MainAsync(args);
