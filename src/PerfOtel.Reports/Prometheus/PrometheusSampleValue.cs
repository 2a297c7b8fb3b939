using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfOtel.Reports.Prometheus;

/// <summary>A sample as the API encodes it: <c>[unix seconds, "value"]</c>; the value is a string so NaN and ±Inf survive.</summary>
internal sealed record PrometheusSampleValue(double UnixSeconds, double Value);

/// <summary>Reads the <c>[number, "string"]</c> pair into <see cref="PrometheusSampleValue"/>.</summary>
internal sealed class PrometheusSampleValueConverter : JsonConverter<PrometheusSampleValue>
{
    public override PrometheusSampleValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException("a sample must be [time, \"value\"]");
        }

        var time = reader.GetDouble();
        if (!reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("a sample value must be a string");
        }

        var value = ParseValue(reader.GetString()!);
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("a sample must have exactly two elements");
        }

        return new PrometheusSampleValue(time, value);
    }

    public override void Write(Utf8JsonWriter writer, PrometheusSampleValue value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.UnixSeconds);
        writer.WriteStringValue(value.Value.ToString("R", CultureInfo.InvariantCulture));
        writer.WriteEndArray();
    }

    /// <summary>Go's float formatting: digits, <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.</summary>
    internal static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new JsonException($"'{text}' is not a sample value"),
    };
}

/// <summary>Reads a matrix series' <c>[[time, "value"], ...]</c>.</summary>
internal sealed class PrometheusSampleListConverter : JsonConverter<IReadOnlyList<PrometheusSampleValue>>
{
    private static readonly PrometheusSampleValueConverter Sample = new();

    public override IReadOnlyList<PrometheusSampleValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("values must be an array of samples");
        }

        var list = new List<PrometheusSampleValue>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(Sample.Read(ref reader, typeof(PrometheusSampleValue), options));
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<PrometheusSampleValue> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var sample in value)
        {
            Sample.Write(writer, sample, options);
        }

        writer.WriteEndArray();
    }
}
