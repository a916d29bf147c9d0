using System.Text.Json.Nodes;
using Ocht.Testkit;

namespace Ocht.Workspace.Tests;

/// <summary>Each rule, proven by injecting one violation into a copy of this workspace: check must report
/// it with its number, file and line, and nothing but what the same edit also puts out of step (E9, E10).</summary>
public sealed class CheckTests : IDisposable
{
    private readonly WorkspaceCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void The_repository_itself_passes_with_no_error_and_no_warning() =>
        Assert.Empty(Workspace.Check(Golden.RepositoryRoot()));

    [Fact]
    public void An_untouched_copy_passes_and_sync_finds_nothing_to_change()
    {
        Assert.Empty(_copy.Check());
        Assert.False(Workspace.Sync(_copy.Root));
    }

    [Fact]
    public void E1_a_public_type_outside_the_interface_folder()
    {
        const string file = "components/model/Internal/PlanBuilder.cs";
        int line = _copy.Append(file, "public sealed class Leak;");
        Expect("E1", file, line, "public type Leak outside components/model/Interface");
    }

    [Fact]
    public void E2_internals_visible_to_a_brick_in_the_csproj()
    {
        const string csproj = "components/model/Ocht.Model.csproj";
        int line = _copy.AddItem(csproj, """<InternalsVisibleTo Include="Ocht.Engine" />""");
        Expect("E2", csproj, line, "gives Ocht.Engine the internals of model");
    }

    [Fact]
    public void E2_internals_visible_to_a_brick_by_attribute()
    {
        _copy.Write("components/spill/Internal/Grant.cs", """
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Ocht.Engine")]
            """);
        Expect("E2", "components/spill/Internal/Grant.cs", 1, "gives Ocht.Engine the internals of spill");
    }

    [Fact]
    public void E3_a_using_of_a_brick_that_is_not_referenced()
    {
        _copy.Write("components/values/Interface/Peek.cs", "using Ocht.Model;\n\nnamespace Ocht.Values;\n");
        Expect("E3", "components/values/Interface/Peek.cs", 1, "values uses model (Ocht.Model)");
    }

    [Fact]
    public void E3_a_partly_qualified_name_of_a_brick_reached_only_through_another()
    {
        _copy.Write("components/engine/Internal/Reach.cs", """
            namespace Ocht.Engine;

            internal static class Reach
            {
                public static object Steps() => Transforms.Steps.Specs;
            }
            """);
        Expect("E3", "components/engine/Internal/Reach.cs", 5, "engine uses transforms (Transforms.Steps.Specs)");
    }

    [Fact]
    public void E4_a_pure_core_brick_with_an_infrastructure_package()
    {
        const string csproj = "components/transforms/Ocht.Transforms.csproj";
        int line = _copy.AddItem(csproj, """<PackageReference Include="Serilog" />""");
        Expect("E4", csproj, line, "infrastructure package Serilog");
    }

    [Fact]
    public void E5_a_pure_core_brick_on_a_brick_outside_the_pure_core()
    {
        const string csproj = "components/model/Ocht.Model.csproj";
        int line = _copy.AddItem(csproj, """<ProjectReference Include="../spill/Ocht.Spill.csproj" />""");
        Expect("E5", csproj, line, "pure-core brick model references spill");
    }

    [Theory]
    [InlineData("DateTime.UtcNow", "the clock")]
    [InlineData("System.IO.File.ReadAllText(\"x\")", "the file system")]
    [InlineData("new System.Net.Http.HttpClient()", "the network")]
    [InlineData("new Random(1)", "randomness")]
    [InlineData("Guid.NewGuid()", "randomness")]
    [InlineData("System.Diagnostics.Stopwatch.GetTimestamp()", "the clock")]
    [InlineData("TimeProvider.System", "the clock")]
    public void E6_a_pure_core_brick_calling_an_effectful_api(string call, string effect)
    {
        const string file = "components/executor/Internal/Effects.cs";
        _copy.Write(file, $$"""
            namespace Ocht.Executor;

            internal static class Effects
            {
                // DateTime.Now or File.Delete in a comment is no call, nor is "Guid.NewGuid()" in a string.
                private const string Text = "File.ReadAllText";
                public static object Call(RunEnvironment environment) => environment.Clock is null ? Text : {{call}};
            }
            """);
        Expect("E6", file, 7, "reaches " + effect);
    }

    [Fact]
    public void E7_a_component_referencing_a_base()
    {
        const string csproj = "components/testkit/Ocht.Testkit.csproj";
        int line = _copy.AddItem(csproj, """<ProjectReference Include="../../bases/cli/Ocht.Cli.csproj" />""");
        Expect("E7", csproj, line, "component testkit references base cli");
    }

    [Fact]
    public void E8_a_dependency_cycle_is_reported_at_the_reference_leaving_its_first_member()
    {
        _copy.AddItem("components/values/Ocht.Values.csproj", """<ProjectReference Include="../document/Ocht.Document.csproj" />""");
        const string document = "components/document/Ocht.Document.csproj";
        Expect("E8", document, _copy.LineOf(document, "Ocht.Values.csproj"), "dependency cycle: document -> values -> document");
    }

    [Fact]
    public void E9_a_project_reference_that_workspace_json_does_not_declare()
    {
        const string csproj = "components/spill/Ocht.Spill.csproj";
        int line = _copy.AddItem(csproj, """<ProjectReference Include="../values/Ocht.Values.csproj" />""");
        Expect("E9", csproj, line, "spill references values, which workspace.json does not list in components/spill/dependencies");
    }

    [Fact]
    public void E10_a_field_of_workspace_json_that_the_tree_contradicts()
    {
        _copy.Write("workspace.json", _copy.Read("workspace.json").Replace("\"components/values/Interface\"", "\"components/values/Api\""));
        int line = _copy.LineOf("workspace.json", "components/values/Api");
        Expect("E10", "workspace.json", line, "components/values/interface is \"components/values/Api\", the tree says \"components/values/Interface\"");
    }

    [Fact]
    public void E10_a_brick_missing_from_workspace_json_is_reported_at_its_csproj()
    {
        var json = JsonNode.Parse(_copy.Read("workspace.json"))!;
        json["components"]!.AsObject().Remove("spill");
        _copy.Write("workspace.json", json.ToJsonString());
        Expect("E10", "components/spill/Ocht.Spill.csproj", 1, "components/spill is not in workspace.json");
    }

    [Fact]
    public void W1_a_brick_in_no_project_is_a_warning_and_sync_records_the_new_brick()
    {
        _copy.Write("components/orphan/Ocht.Orphan.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <RootNamespace>Ocht.Orphan</RootNamespace>
              </PropertyGroup>
            </Project>
            """);
        _copy.Write("components/orphan/Interface/Orphan.cs", "namespace Ocht.Orphan;\n\npublic static class Orphan;\n");
        Assert.True(Workspace.Sync(_copy.Root));

        var problem = Assert.Single(_copy.Check());
        Assert.Equal(("W1", "components/orphan/Ocht.Orphan.csproj", 1), (problem.Code, problem.File, problem.Line));
        Assert.False(problem.IsError);
        Assert.Contains("\"orphan\": {", _copy.Read("workspace.json"));
    }

    private void Expect(string code, string file, int line, string message)
    {
        var problems = _copy.Check();
        var found = problems.Where(p => p.Code == code).ToList();
        var problem = Assert.Single(found);
        Assert.Equal((code, file, line), (problem.Code, problem.File, problem.Line));
        Assert.Contains(message, problem.Message);
        Assert.StartsWith($"{file}:{line}: {code} ", problem.ToString());
        Assert.All(problems.Except(found), p => Assert.Contains(p.Code, new[] { "E9", "E10" }));
    }
}
