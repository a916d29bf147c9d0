using System.Text;
using Ocht.Model;
using Ocht.Testkit;

namespace Ocht.Connectors.Tests;

public sealed class CsvContractTests : ConnectorContract
{
    protected override IConnector Connector { get; } = Connectors.All().Single(c => c.Spec.Name == "csv");

    protected override string Location(string name) => $$"""{"connector": "csv", "path": "{{name}}.csv"}""";

    protected override long PlantUnreadable(string name, int badRecord)
    {
        var lines = new List<string> { "id,name" };
        for (int i = 1; i <= 3; i++) lines.Add(i == badRecord ? $"{i},bro\"ken" : $"{i},n{i}");
        File.WriteAllText(Path.Combine(WorkDirectory, name + ".csv"), string.Join("\n", lines) + "\n");
        return badRecord + 1;
    }
}

public sealed class JsonlContractTests : ConnectorContract
{
    protected override IConnector Connector { get; } = Connectors.All().Single(c => c.Spec.Name == "jsonl");

    protected override string Location(string name) => $$"""{"connector": "jsonl", "path": "{{name}}.jsonl"}""";

    protected override long PlantUnreadable(string name, int badRecord)
    {
        var lines = Enumerable.Range(1, 3).Select(i => i == badRecord ? "{\"id\": " + i + ", " : $$"""{"id": {{i}}}""");
        File.WriteAllText(Path.Combine(WorkDirectory, name + ".jsonl"), string.Join("\n", lines) + "\n", Encoding.UTF8);
        return badRecord;
    }
}
