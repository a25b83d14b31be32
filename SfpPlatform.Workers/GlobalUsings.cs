// The run input and the normalised event it carries are the Api's contract (SfpPlatform.Contracts), read by every workflow.
global using SfpPlatform.Contracts.Runs;
global using SfpPlatform.Contracts.Webhooks;
