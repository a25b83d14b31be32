// The normalised event and the routing rules are the Api's contract (SfpPlatform.Contracts) and are read throughout
// the webhook code.
global using SfpPlatform.Contracts.Webhooks;
