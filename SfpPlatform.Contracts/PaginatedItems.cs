namespace SfpPlatform.Contracts;

/// <summary>A page of a list, newest first, in eShop's shape: which page, its size, how many items in all, the items.</summary>
public sealed record PaginatedItems<T>(int PageIndex, int PageSize, long Count, IReadOnlyList<T> Data);
