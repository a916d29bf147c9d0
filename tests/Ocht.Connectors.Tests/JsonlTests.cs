using System.IO.Pipes;
using System.Text;
using Ocht.Document;
using Ocht.Model;
using Ocht.Values;

namespace Ocht.Connectors.Tests;

public sealed class JsonlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ocht-jsonl-").FullName;

    private ConnectorConfig Config(string path, Roles role, IConnector jsonl) =>
        new(jsonl, DocParser.Parse($$"""{"connector": "jsonl", "path": "{{path}}"}""").Root!, role, _dir, Secrets.None);

    [Fact]
    public async Task Lines_are_records_and_bad_lines_are_rejected_with_their_number()
    {
        var jsonl = Connectors.All().Single(c => c.Spec.Name == "jsonl");
        File.WriteAllText(Path.Combine(_dir, "in.jsonl"), "\uFEFF{\"a\":1}\n\n  \n[1]\n{\"a\":2,\"b\":true}\r\n{\"a\":\n{\"a\":3}");
        await using var source = jsonl.OpenSource(Config("in.jsonl", Roles.Source, jsonl), new SourceContext("t", 100, TimeProvider.System));
        var records = new List<string>();
        var rejections = new List<Rejection>();
        while (await source.ReadAsync(CancellationToken.None) is { } b)
        {
            records.AddRange(b.Records().Select(r => r.ToString()));
            rejections.AddRange(b.Rejections ?? []);
        }
        Assert.Equal(["""{"a":1}""", """{"a":2,"b":true}""", """{"a":3}"""], records);
        Assert.Equal([4L, 6L], rejections.Select(r => r.Line));
        Assert.Contains("expected a JSON object", rejections[0].Message);
        Assert.Equal("{\"a\":", rejections[1].Raw);
    }

    [Fact]
    public async Task Standard_input_flows_before_it_is_closed()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var jsonl = Connectors.All(new StandardStreams(() => client, () => Stream.Null)).Single(c => c.Spec.Name == "jsonl");
        await using var source = jsonl.OpenSource(Config("-", Roles.Source, jsonl), new SourceContext("t", 4096, TimeProvider.System));
        server.Write(Encoding.UTF8.GetBytes("{\"n\":1}\n{\"n\":2}\n"));
        server.Flush();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = await source.ReadAsync(timeout.Token);
        Assert.Equal(2, first!.Count);
        server.Write(Encoding.UTF8.GetBytes("{\"n\":3}\n"));
        server.Dispose();
        Assert.Equal(1, (await source.ReadAsync(timeout.Token))!.Count);
        Assert.Null(await source.ReadAsync(timeout.Token));
    }

    [Fact]
    public async Task Standard_output_is_flushed_per_batch_and_counts_as_durable()
    {
        var output = new MemoryStream();
        var jsonl = Connectors.All(new StandardStreams(() => Stream.Null, () => output)).Single(c => c.Spec.Name == "jsonl");
        await using var sink = jsonl.OpenSink(Config("-", Roles.Sink, jsonl), new SinkContext("t", 10, TimeProvider.System));
        await sink.WriteAsync(Batch.FromRecords([Record.Of(("price", 12.30m), ("at", new DateTime(2024, 5, 17, 0, 0, 0, DateTimeKind.Utc)))]).Single(), new SinkRejections(), CancellationToken.None);
        Assert.True(await sink.FlushAsync(CancellationToken.None));
        Assert.Equal("{\"price\":12.30,\"at\":\"2024-05-17T00:00:00Z\"}\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
