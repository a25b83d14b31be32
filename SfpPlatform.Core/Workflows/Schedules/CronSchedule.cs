using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Cronos;

namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>
/// A five-field cron expression (minute, hour, day of month, month, day of week) read in UTC. Each field is checked
/// here first, so a mistake is reported with the field it is in (<c>hour: 24 is out of range 0-23</c>) rather than as
/// "invalid format"; Cronos computes the occurrences. Only the standard syntax is accepted (<c>*</c>, values, ranges,
/// lists, steps, month and day names): the extensions some parsers add (<c>L</c>, <c>W</c>, <c>#</c>, <c>?</c>, seconds)
/// are refused, and so is 7 for Sunday (Cronos reads it, but Hatchet's robfig/cron parser allows day of week 0-6 only and
/// refuses the whole workflow): this one validator keeps to what both Cronos and Hatchet accept, so a schedule means
/// the same on both engines and the Api refuses (400, naming the field) what Hatchet would refuse later.
/// </summary>
public sealed class CronSchedule
{
    private static readonly CronField[] Fields =
    [
        new("minute", 0, 59, []),
        new("hour", 0, 23, []),
        new("day of month", 1, 31, []),
        new("month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        new("day of week", 0, 6, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ];

    private readonly CronExpression _cron;

    private CronSchedule(string expression, CronExpression cron)
    {
        Expression = expression;
        _cron = cron;
    }

    /// <summary>The expression as given (trimmed, fields separated by single spaces).</summary>
    public string Expression { get; }

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> names the field and what is wrong with it.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CronSchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var fields = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != Fields.Length)
        {
            error = $"'{text}' has {fields.Length} field(s): a cron expression has five (minute hour day-of-month month day-of-week), in UTC.";
            return false;
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (Fields[i].Check(fields[i]) is { } problem)
            {
                error = $"{Fields[i].Name}: {problem}";
                return false;
            }
        }

        var normalised = string.Join(' ', fields);
        try
        {
            schedule = new CronSchedule(normalised, CronExpression.Parse(normalised, CronFormat.Standard));
            error = null;
            return true;
        }
        catch (CronFormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Parses <paramref name="text"/> or throws a <see cref="FormatException"/> naming the wrong field.</summary>
    public static CronSchedule Parse(string text) =>
        TryParse(text, out var schedule, out var error) ? schedule : throw new FormatException($"Invalid cron expression: {error}");

    /// <summary>The first occurrence strictly after <paramref name="time"/>; null when there is none (e.g. 30 February).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset time) => _cron.GetNextOccurrence(time, TimeZoneInfo.Utc, inclusive: false);

    /// <summary>The occurrences in [<paramref name="from"/>, <paramref name="to"/>], both inclusive, oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset from, DateTimeOffset to) =>
        _cron.GetOccurrences(from, to, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: true);

    public override string ToString() => Expression;

    private sealed record CronField(string Name, int Min, int Max, string[] Names)
    {
        public string? Check(string field)
        {
            foreach (var part in field.Split(','))
            {
                if (CheckPart(part) is { } problem)
                {
                    return field.Contains(',') ? $"'{part}' in '{field}': {problem}" : $"'{field}': {problem}";
                }
            }

            return null;
        }

        private string? CheckPart(string part)
        {
            if (part.Length == 0)
            {
                return "an empty list item";
            }

            var range = part;
            if (part.IndexOf('/') is var slash and >= 0)
            {
                range = part[..slash];
                var step = part[(slash + 1)..];
                if (!int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > Max)
                {
                    return $"the step '{step}' must be a whole number from 1 to {Max}";
                }
            }

            if (range == "*")
            {
                return null;
            }

            var bounds = range.Split('-');
            if (bounds.Length > 2)
            {
                return $"'{range}' is not a value or a range (a-b)";
            }

            var values = new int[bounds.Length];
            for (var i = 0; i < bounds.Length; i++)
            {
                if (Value(bounds[i]) is not { } value)
                {
                    return int.TryParse(bounds[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                        ? $"{number} is out of range {Min}-{Max}"
                        : $"'{bounds[i]}' is not a number{(Names.Length > 0 ? $" or a name ({string.Join(", ", Names)})" : "")}";
                }

                values[i] = value;
            }

            return values.Length == 2 && values[0] > values[1] ? $"the range {range} runs backwards" : null;
        }

        private int? Value(string text)
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return number >= Min && number <= Max ? number : null;
            }

            var index = Array.FindIndex(Names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            return index < 0 ? null : index + (Min == 0 ? 0 : 1);
        }
    }
}
