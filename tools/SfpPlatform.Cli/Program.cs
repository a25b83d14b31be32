using SfpPlatform.Cli;

// sfp-platform: the operator's command line. See CliApp for the commands; README.md ("Operator CLI") for when to use which.
return await CliApp.RunAsync(args, Console.Out, Console.Error);
