using System.Globalization;
using System.Text;
using Ocht.Connectors;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Benchmarks;

/// <summary>
/// A deterministic slice of the orders dataset of ../shared/bench (same columns, similar skew and
/// quoting), written as CSV to a private temp folder and decoded by the CSV connector, so benchmarks
/// see the values a real run sees.
/// </summary>
public sealed class Orders : IDisposable
{
    public const int Rows = 100_000;
    public const int BatchSize = 4096;

    private static readonly string[] Countries = ["US", "DE", "GB", "FR", "JP", "CN", "IN", "BR", "CA", "AU", "IT", "ES", "NL", "SE", "PL",
        "MX", "KR", "CH", "BE", "AT", "NO", "DK", "FI", "IE", "PT", "CZ", "NZ", "SG", "ZA", "AR"];
    private static readonly string[] Categories = ["electronics", "books", "clothing", "home & kitchen", "garden", "toys", "sports", "beauty",
        "grocery", "automotive", "health", "jewelry", "music", "movies", "office", "pet supplies", "shoes", "tools", "baby", "video games"];
    private static readonly string[] Notes = ["", "", "", "gift wrap", "leave at the door", "call first, please", "size \"M\"", "fragile"];

    private static readonly IConnector Csv = Connectors.Connectors.All().Single(c => c.Spec.Name == "csv");

    public Orders()
    {
        Folder = Directory.CreateTempSubdirectory("ocht-bench-").FullName;
        File.WriteAllText(Path.Combine(Folder, "orders.csv"), Text(Rows));
        Batches = ReadAsync(Source("orders.csv"), fields: null).AsTask().GetAwaiter().GetResult();
        Fields = FieldScope.Of(Batches[0].Schema.Names);
    }

    public string Folder { get; }
    public string Input => Path.Combine(Folder, "orders.csv");
    public IReadOnlyList<Batch> Batches { get; }
    public FieldScope Fields { get; }

    /// <summary>Fresh copies of the batches, for steps that change or release what they are given.</summary>
    public Batch[] Copy()
    {
        var copies = new Batch[Batches.Count];
        for (int b = 0; b < copies.Length; b++)
        {
            var source = Batches[b];
            var copy = new Batch(source.Schema, source.Capacity) { Sequence = b + 1 };
            for (int row = 0; row < source.Count; row++) copy.AddRow(source.Row(row), source.LineOf(row));
            copies[b] = copy;
        }
        return copies;
    }

    public ConnectorConfig Source(string file) => Config(file, Roles.Source);

    public ConnectorConfig Sink(string file) => Config(file, Roles.Sink);

    /// <summary>Every batch of a CSV source; <paramref name="fields"/> are the only fields the pipeline reads (null: all).</summary>
    public static async ValueTask<List<Batch>> ReadAsync(ConnectorConfig source, IReadOnlyList<string>? fields)
    {
        var batches = new List<Batch>();
        await using var reader = Csv.OpenSource(source, new SourceContext("bench", BatchSize, TimeProvider.System) { Fields = fields });
        while (await reader.ReadAsync(CancellationToken.None) is { } batch) batches.Add(batch);
        return batches;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private ConnectorConfig Config(string file, Roles role) =>
        new(Csv, DocParser.Parse($$"""{"connector": "csv", "path": "{{file}}"}""").Root!, role, Folder, Secrets.None);

    private static string Text(int rows)
    {
        var random = new Random(20241122);
        var csv = new StringBuilder("order_id,ts,customer_id,country,category,quantity,unit_price,discount,status,note\n");
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int id = 1; id <= rows; id++)
        {
            // Squaring a uniform number skews towards the first countries, as the real data does.
            string country = Countries[(int)(Math.Pow(random.NextDouble(), 2) * Countries.Length)];
            decimal price = Math.Round((decimal)Math.Exp(random.NextDouble() * 8.5 - 0.7), 2);
            string discount = random.Next(5) == 0 ? "" : (random.Next(31) / 100m).ToString("0.00", CultureInfo.InvariantCulture);
            int status = random.Next(20);
            string note = Notes[random.Next(Notes.Length)];
            csv.Append(CultureInfo.InvariantCulture, $"{id},{start.AddSeconds(random.Next(2 * 365 * 86400)):yyyy-MM-ddTHH:mm:ssZ},{random.Next(1, 100_001)},")
                .Append(CultureInfo.InvariantCulture, $"{country},{Categories[random.Next(Categories.Length)]},{random.Next(1, 21)},{price:0.00},{discount},")
                .Append(status < 16 ? "paid" : status < 19 ? "pending" : "refunded").Append(',')
                .Append(note.Contains('"') || note.Contains(',') ? "\"" + note.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : note)
                .Append('\n');
        }
        return csv.ToString();
    }
}
