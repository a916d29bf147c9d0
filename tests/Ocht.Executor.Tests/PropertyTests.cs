using FsCheck.Fluent;
using Ocht.Testkit;
using Ocht.Values;

namespace Ocht.Executor.Tests;

public class PropertyTests
{
    private const string Steps = """
        {"op": "filter", "where": ["or", [">", ":n", 0], ["is-null", ":n"]]},
        {"op": "derive", "fields": {"r": ["/", 100, ":n"], "u": ["upper", ":s"]}},
        {"op": "dedupe", "key": [":k"]},
        {"op": "limit", "count": 40}
        """;

    [Fact]
    public void Counts_balance_for_random_records_through_filter_derive_dedupe_limit() =>
        Properties.Check(Prop.ForAll(Generators.Records(Generators.Scalar, 120).ToArbitrary(), records =>
        {
            var f = new Fixture().Input("in", records);
            var report = f.RunAsync(Fixture.Doc(Steps, """, "on_error": {"policy": "skip"}, "options": {"batch_size": 7}""")).GetAwaiter().GetResult();
            var r = report.Records;
            return report.Succeeded && r.Read == records.Length && r.Read == r.Written + r.Dropped + r.Rejected
                && f.Committed("out").Count == r.Written;
        }), 100);

    [Fact]
    public void The_same_document_and_input_give_the_same_output() =>
        Properties.Check(Prop.ForAll(Generators.Records(Generators.Scalar, 80).ToArbitrary(), records =>
        {
            string doc = Fixture.Doc(Steps + """, {"op": "sort", "by": [":s", ":n"]}""", """, "on_error": {"policy": "skip"}, "options": {"batch_size": 5}""");
            var first = new Fixture().Input("in", records);
            var second = new Fixture().Input("in", records);
            first.RunAsync(doc).GetAwaiter().GetResult();
            second.RunAsync(doc).GetAwaiter().GetResult();
            return first.Committed("out").SequenceEqual(second.Committed("out"));
        }), 60);
}
