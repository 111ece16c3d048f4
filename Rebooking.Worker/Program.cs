var b = Host.CreateApplicationBuilder(args); b.Build().Run();
