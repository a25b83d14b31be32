namespace SfpPlatform.Web.Components.Charts;

/// <summary>One series of a chart: its name (the legend and the text alternative), its colour class, its values.</summary>
public sealed record ChartSeries(string Name, string CssClass, IReadOnlyList<double> Values);

/// <summary>One bar of a stacked bar chart: a label and a value per segment (in the chart's segment order).</summary>
public sealed record ChartBar(string Label, IReadOnlyList<double> Values);
