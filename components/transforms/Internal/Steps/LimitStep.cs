using Ocht.Document;
using Ocht.Values;

namespace Ocht.Transforms;

internal static class LimitStep
{
    public static readonly ComponentSpec Spec = new("step", "limit", "Passes the first N records, then stops the source from reading further.",
    [
        new OptionSpec("count", OptionType.Integer, "how many records pass") { Required = true, Minimum = 0 },
    ])
    {
        Example = """{ "op": "limit", "count": 100 }""",
    };

    public static StepDefinition? Compile(StepSource s)
    {
        long count = s.Options.Int("count");
        return s.Define(s.Input, StepTraits.None, $"first {count}", (d, _) => new Runner(d, count), Needs.Plus([]));
    }

    private sealed class Runner(StepDefinition definition, long count) : StepRunner(definition)
    {
        private long _remaining = count;

        public override bool Satisfied => _remaining == 0;

        public override void Process(Batch input, StepOutput output)
        {
            int n = input.Count;
            int take = (int)Math.Min(n, _remaining);
            _remaining -= take;
            input.Truncate(take);
            output.Drop(n - take);
            output.Emit(input);
        }
    }
}
