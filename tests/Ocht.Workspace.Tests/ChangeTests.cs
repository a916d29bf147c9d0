using System.Text.RegularExpressions;

namespace Ocht.Workspace.Tests;

/// <summary>info and test --since over a copy of this workspace made a git repository.</summary>
public sealed class ChangeTests : IDisposable
{
    private readonly WorkspaceCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void Test_since_the_stable_tag_picks_the_tests_of_the_changed_brick_and_of_everything_built_on_it()
    {
        _copy.Commit();
        _copy.Git("tag", "stable-1");
        _copy.Append("components/executor/Internal/Run.cs", "// edited");

        var plan = Workspace.PlanTests(_copy.Root, since: null);

        Assert.StartsWith("stable-1 ", plan.Baseline);
        Assert.Equal(["components/executor/Internal/Run.cs"], plan.ChangedFiles);
        var names = plan.Tests.Select(t => t.Name).ToArray();
        Assert.Superset(new HashSet<string> { "Ocht.Cli.Tests", "Ocht.Development.Tests", "Ocht.Engine.Tests", "Ocht.Executor.Tests", "Ocht.Observability.Tests" }, names.ToHashSet());
        Assert.Empty(names.Intersect(["Ocht.Values.Tests", "Ocht.Document.Tests", "Ocht.Expressions.Tests", "Ocht.Transforms.Tests", "Ocht.Model.Tests",
            "Ocht.Connectors.Tests", "Ocht.Spill.Tests", "Ocht.Workspace.Tests"]));
        var reasons = plan.Tests.ToDictionary(t => t.Name, t => t.Reason);
        Assert.Equal("depends on executor (changed)", reasons["Ocht.Executor.Tests"]);
        Assert.Equal("depends on engine, which depends on executor (changed)", reasons["Ocht.Engine.Tests"]);
        Assert.Equal("tests/Ocht.Executor.Tests/Ocht.Executor.Tests.csproj", plan.Tests.Single(t => t.Name == "Ocht.Executor.Tests").Project);
    }

    [Fact]
    public void Without_a_stable_tag_changes_count_from_the_root_commit_and_new_files_count()
    {
        _copy.Commit("first");
        _copy.Append("components/values/Interface/Row.cs", "// second commit");
        _copy.Commit("second");
        _copy.Write("tests/Ocht.Spill.Tests/NewTests.cs", "namespace Ocht.Spill.Tests;\n");

        var plan = Workspace.PlanTests(_copy.Root, since: "HEAD");
        var fromRoot = Workspace.PlanTests(_copy.Root, since: null);

        Assert.Equal("changed", Assert.Single(plan.Tests).Reason);
        Assert.Equal("Ocht.Spill.Tests", plan.Tests[0].Name);
        Assert.Contains("no stable-* tag yet, so the root commit", fromRoot.Baseline);
        Assert.Equal(Workspace.PlanAllTests(_copy.Root).Tests.Select(t => t.Name), fromRoot.Tests.Select(t => t.Name));
    }

    [Fact]
    public void A_build_file_above_every_project_reruns_every_test_project()
    {
        _copy.Commit();
        _copy.Append("Directory.Packages.props", "<!-- edited -->");

        var plan = Workspace.PlanTests(_copy.Root, since: "HEAD");

        Assert.Equal(Workspace.PlanAllTests(_copy.Root).Tests.Count, plan.Tests.Count);
        Assert.All(plan.Tests, t => Assert.Equal("changed", t.Reason));
    }

    [Fact]
    public void An_unknown_revision_is_a_workspace_error()
    {
        _copy.Commit();
        var error = Assert.Throws<WorkspaceException>(() => Workspace.PlanTests(_copy.Root, since: "no-such-ref"));
        Assert.Contains("no-such-ref", error.Message);
    }

    [Fact]
    public void Info_shows_bricks_by_project_and_marks_changed_and_affected_bricks()
    {
        _copy.Commit();
        _copy.Append("components/engine/Interface/Engine.cs", "// edited");

        string info = Workspace.Info(_copy.Root, since: "HEAD");

        Assert.Matches(new Regex(@"^workspace ocht: \d+ components, \d+ bases, \d+ projects, \d+ test projects\nchanges since HEAD: 1 files"), info);
        Assert.Matches(new Regex(@"^brick\s+kind\s+types\s+members\s+loc\s+(\S+\s+)*development\s+tests$", RegexOptions.Multiline), info);
        Assert.Matches(new Regex(@"^engine\s+\*\s+component(\s+\d+){3}\s+x\s+(\S+\s+)*x\s+Ocht.Engine.Tests$", RegexOptions.Multiline), info);
        Assert.Matches(new Regex(@"^cli\s+\+\s+base(\s+\d+){3}\s+x\s+(\S+\s+)*x\s+Ocht.Cli.Tests$", RegexOptions.Multiline), info);
        Assert.Matches(new Regex(@"^workspace\s+component(\s+\d+){3}\s+-\s+(\S+\s+)*x\s+Ocht.Workspace.Tests$", RegexOptions.Multiline), info);
        Assert.Matches(new Regex(@"^ocht-cli\s+\+\s+projects/ocht-cli\s+\d+\s+-$", RegexOptions.Multiline), info);
    }
}
