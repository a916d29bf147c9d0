using System.Globalization;
using Ocht.Executor;
using Ocht.Model;

namespace Ocht.Cli;

/// <summary>How the CLI presents results to people.</summary>
internal sealed class Printer(CliConsole console)
{
    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Every diagnostic, one line each: file:line:col: /pointer: message.</summary>
    public void Diagnostics(LoadResult result, string file)
    {
        foreach (var line in result.Messages(file)) console.Error.WriteLine(line);
        int n = result.Diagnostics.Count;
        console.Error.WriteLine($"{file}: {n} problem{(n == 1 ? "" : "s")}; nothing was run");
    }

    /// <summary>The run summary for people, on standard error (standard output may carry data).</summary>
    public void Summary(RunReport report)
    {
        var e = console.Error;
        var r = report.Records;
        string seconds = (report.DurationMs / 1000.0).ToString("0.00", CultureInfo.InvariantCulture);
        e.WriteLine($"{report.Pipeline}: {(report.Succeeded ? "succeeded" : "failed")} in {seconds} s (run {report.RunId})");
        e.WriteLine($"  records  read {N(r.Read)}, written {N(r.Written)}, dropped {N(r.Dropped)}, rejected {N(r.Rejected)}");
        foreach (var s in report.Steps)
        {
            string merged = s.Merged > 0 ? $", merged {N(s.Merged)}" : "";
            e.WriteLine($"  step {s.Index,-2} {s.Op,-10} in {N(s.In)}, out {N(s.Out)}, dropped {N(s.Dropped)}, rejected {N(s.Rejected)}{merged} ({N(s.Ms)} ms)");
        }
        string kept = report.Succeeded ? "" : ", not committed";
        foreach (var s in report.Sinks)
            e.WriteLine($"  sink     {s.Sink}: {N(s.Written)} written{(s.Rejected > 0 ? $", {N(s.Rejected)} refused" : "")}{kept}");
    }

    public void Tests(PipelinePlan plan, IReadOnlyList<TestOutcome> outcomes)
    {
        var o = console.Out;
        foreach (var t in outcomes)
        {
            o.WriteLine($"{(t.Passed ? "pass" : "FAIL")}  {t.Name}");
            foreach (var d in t.Differences) o.WriteLine($"      {d}");
        }
        int passed = outcomes.Count(t => t.Passed);
        o.WriteLine($"{plan.Name}: {passed} passed, {outcomes.Count - passed} failed");
    }

    public void Catalog(Catalog catalog, string what)
    {
        var o = console.Out;
        if (what is "connectors" or "all")
        {
            o.WriteLine("connectors");
            foreach (var c in catalog.Connectors)
            {
                string roles = c.Spec.Roles == Document.Roles.Both ? "source, sink" : c.Spec.Roles == Document.Roles.Source ? "source" : "sink";
                o.WriteLine($"  {c.Spec.Name,-10} {roles,-13} {FirstSentence(c.Spec.Summary)}");
            }
        }
        if (what is "steps" or "all")
        {
            o.WriteLine("steps");
            foreach (var s in catalog.Steps) o.WriteLine($"  {s.Name,-10} {FirstSentence(s.Summary)}");
        }
        if (what is "functions" or "all")
        {
            o.WriteLine("functions");
            foreach (var f in catalog.Functions.Concat(catalog.SpecialForms))
                o.WriteLine($"  {f.Group,-11} {f.Signature,-36} {FirstSentence(f.Summary)}");
        }
    }

    private static string FirstSentence(string text)
    {
        int end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text.TrimEnd('.') : text[..end];
    }
}
