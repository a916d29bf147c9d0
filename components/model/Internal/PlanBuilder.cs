using System.Text.RegularExpressions;
using Ocht.Document;
using Ocht.Expressions;
using Ocht.Transforms;
using Ocht.Values;

namespace Ocht.Model;

/// <summary>Validates a whole document, reporting every problem at once, and builds the plan.</summary>
internal sealed partial class PlanBuilder
{
    private readonly Diagnostics _d = new();
    private readonly LoadOptions _options;
    private readonly Catalog _catalog;
    private Secrets _secrets = Secrets.None;
    private readonly Dictionary<int, ConnectorConfig> _tables = new();

    private PlanBuilder(LoadOptions options, Catalog catalog)
    {
        _options = options;
        _catalog = catalog;
    }

    [GeneratedRegex(DocumentSpecs.NamePattern)]
    private static partial Regex NameRule();

    public static LoadResult Build(string text, LoadOptions options, Catalog catalog) => new PlanBuilder(options, catalog).Build(text);

    private LoadResult Build(string text)
    {
        var parsed = DocParser.Parse(text);
        if (parsed.Root is null || parsed.Diagnostics.Count > 0)
            return new LoadResult(null, parsed.Diagnostics, []);
        var raw = parsed.Root;
        if (!raw.IsObject)
        {
            _d.Add(raw, $"a pipeline document is a JSON object with \"ocht\", \"name\", \"source\", \"steps\" and \"sink\"; found {raw.Describe()}");
            return Result(null, []);
        }
        var resolved = Placeholders.Resolve(raw, _options.Vars, _options.Environment, _d);
        _secrets = resolved.Secrets;
        var root = resolved.Root;

        SpecValidator.Check(root, DocumentSpecs.Pipeline, Roles.Both, _d, []);
        CheckVersion(root);
        string name = CheckName(root);
        var source = root["source"] is { } sourceNode ? Connector(sourceNode, Roles.Source) : null;
        var scope = source is not null ? source.Connector.Probe(source) : FieldScope.Unknown;
        if (source is not null) CheckFieldOptions(source, scope);
        var sourceFields = scope;
        var steps = Steps(root["steps"], ref scope);
        var sinks = Sinks(root, scope);
        var onError = OnError(root["on_error"]);
        var runOptions = RunOptions(root["options"]);
        var tests = Tests(root["tests"]);

        if (_d.HasErrors || source is null)
            return Result(null, resolved.Warnings);
        var plan = new PipelinePlan(name, _options.Path, root, source, steps, sinks, onError, runOptions, tests, _secrets, sourceFields, _tables, scope);
        return Result(plan, resolved.Warnings);
    }

    private LoadResult Result(PipelinePlan? plan, IReadOnlyList<string> warnings) =>
        new(plan, _d.Sorted().Select(d => d with { Message = _secrets.Redact(d.Message) }).ToArray(), warnings);

    private void CheckVersion(DocNode root)
    {
        if (root["ocht"] is { } v && v.TryGetInt(out long version) && version != DocumentSpecs.FormatVersion)
            _d.Add(v, $"unsupported format version {version}; this Ocht reads \"ocht\": {DocumentSpecs.FormatVersion}");
    }

    private string CheckName(DocNode root)
    {
        if (root["name"] is not { IsString: true } n) return "";
        if (!NameRule().IsMatch(n.Text!))
        {
            string slug = Regex.Replace(n.Text!.ToLowerInvariant(), "[^a-z0-9-_.]+", "-").Trim('-');
            string hint = slug.Length > 0 && NameRule().IsMatch(slug) ? $"; e.g. \"{slug}\"" : "";
            _d.Add(n, $"\"name\" must be lower-case letters, digits, '-', '_' or '.', starting with a letter or digit, found {n.Describe()}{hint}");
        }
        return n.Text!;
    }

    /// <summary>A connector object in a given role: known connector, role supported, options valid.</summary>
    private ConnectorConfig? Connector(DocNode node, Roles role, bool allowWhen = false)
    {
        string roleName = role == Roles.Source ? "source" : "sink";
        if (!node.IsObject)
        {
            _d.Add(node, $"a {roleName} is a connector object like {{\"connector\": \"csv\", \"path\": \"...\"}}, found {node.Describe()}");
            return null;
        }
        var nameNode = node["connector"];
        if (nameNode is not { IsString: true })
        {
            _d.Add(nameNode ?? node, $"a {roleName} needs \"connector\" naming one of {string.Join(", ", _catalog.Connectors.Select(c => c.Spec.Name))}");
            return null;
        }
        var connector = _catalog.FindConnector(nameNode.Text!);
        if (connector is null)
        {
            _d.Add(nameNode, $"unknown connector \"{nameNode.Text}\"{Suggest.Hint(nameNode.Text!, _catalog.Connectors.Select(c => c.Spec.Name))}");
            return null;
        }
        if ((connector.Spec.Roles & role) == 0)
        {
            _d.Add(nameNode, $"connector \"{connector.Spec.Name}\" cannot be used as a {roleName}");
            return null;
        }
        int before = _d.Count;
        string[] reserved = allowWhen ? ["connector", "when"] : ["connector"];
        SpecValidator.Check(node, connector.Spec, role, _d, reserved);
        var config = new ConnectorConfig(connector, node, role, _options.BaseDirectory, _secrets);
        if (_d.Count == before) connector.Validate(config, _d);
        return _d.Count == before ? config : null;
    }

    /// <summary>
    /// Connector options that name fields (a source's column types, a sink's column list) must name
    /// fields that exist, when the fields are known: a typo there would silently read a column as text
    /// or write an empty column.
    /// </summary>
    private void CheckFieldOptions(ConnectorConfig config, FieldScope scope)
    {
        if (!scope.IsKnown) return;
        foreach (var option in config.Connector.Spec.OptionsFor(config.Role))
        {
            if (config.Node[option.Name] is not { } value) continue;
            IEnumerable<(string Field, DocNode At)> named = option.Type switch
            {
                OptionType.TypeMap or OptionType.FieldMap when value.IsObject => value.Properties.Select(p => (p.Name, p.Value)),
                OptionType.FieldList when value.IsArray => value.Items.Where(i => i.IsString).Select(i => (i.Text!, i)),
                _ => [],
            };
            foreach (var (field, at) in named)
                if (!scope.Has(field))
                    _d.Add(at, $"unknown field \"{field}\"{Suggest.Hint(field, scope.Fields!)} (fields here: {scope})");
        }
    }

    private IReadOnlyList<StepDefinition> Steps(DocNode? node, ref FieldScope scope)
    {
        if (node is null) return [];
        if (!node.IsArray)
        {
            _d.Add(node, $"\"steps\" must be a list of step objects, found {node.Describe()}");
            return [];
        }
        int current = 0;
        var context = new StepCompileContext
        {
            ValidateTable = (table, d) =>
            {
                if (Connector(table, Roles.Source) is not { } config) return FieldScope.Unknown;
                _tables[current] = config;
                return config.Connector.Probe(config);
            },
        };
        var steps = new List<StepDefinition>();
        for (int i = 0; i < node.Items.Count; i++)
        {
            current = i;
            var step = Transforms.Steps.Compile(i, node.Items[i], scope, context, _d, out var output);
            scope = output;
            if (step is not null) steps.Add(step);
        }
        return steps;
    }

    private IReadOnlyList<SinkPlan> Sinks(DocNode root, FieldScope scope)
    {
        var single = root["sink"];
        var many = root["sinks"];
        if (single is not null && many is not null)
        {
            _d.Add(many, "use either \"sink\" or \"sinks\", not both");
            return [];
        }
        if (single is null && many is null)
        {
            _d.Add(root, "a pipeline needs a \"sink\" (or a list of \"sinks\")");
            return [];
        }
        IReadOnlyList<DocNode> nodes;
        if (single is not null) nodes = [single];
        else if (many is { IsArray: true, Items.Count: > 0 }) nodes = many.Items;
        else
        {
            _d.Add(many!, $"\"sinks\" must be a non-empty list of connector objects, found {many!.Describe()}");
            return [];
        }
        var sinks = new List<SinkPlan>();
        foreach (var node in nodes)
        {
            var config = Connector(node, Roles.Sink, allowWhen: true);
            CompiledExpr? when = null;
            if (node.IsObject && node["when"] is { } whenNode)
            {
                var expr = Expressions.Expressions.Parse(whenNode, _d, scope);
                when = expr is null ? null : Expressions.Expressions.Compile(expr, _d);
            }
            if (config is null) continue;
            CheckFieldOptions(config, scope);
            sinks.Add(new SinkPlan(config, when));
        }
        return sinks;
    }

    private ErrorPolicy OnError(DocNode? node)
    {
        if (node is null) return ErrorPolicy.Fail;
        int before = _d.Count;
        SpecValidator.Check(node, DocumentSpecs.OnError, Roles.Both, _d, []);
        if (_d.Count > before) return ErrorPolicy.Fail;
        var options = new Options(node, DocumentSpecs.OnError);
        var mode = options.String("policy") switch
        {
            "skip" => ErrorMode.Skip,
            "dead-letter" => ErrorMode.DeadLetter,
            _ => ErrorMode.Fail,
        };
        var sinkNode = node["sink"];
        ConnectorConfig? deadLetter = null;
        if (mode == ErrorMode.DeadLetter)
        {
            if (sinkNode is null) _d.Add(node, "policy \"dead-letter\" needs a \"sink\" for the dead letters, e.g. {\"connector\": \"jsonl\", \"path\": \"rejects.jsonl\"}");
            else deadLetter = Connector(sinkNode, Roles.Sink);
        }
        else if (sinkNode is not null)
        {
            _d.Add(sinkNode, $"\"sink\" is used only with policy \"dead-letter\" (policy here: \"{options.String("policy")}\")");
        }
        long? max = options.IntOrNull("max");
        if (mode == ErrorMode.Fail && max is > 0)
            _d.Add(node["max"]!, "\"max\" applies to skip and dead-letter; policy \"fail\" stops at the first rejection");
        return new ErrorPolicy(mode, deadLetter, mode == ErrorMode.Fail ? 0 : max);
    }

    private RunOptions RunOptions(DocNode? node)
    {
        var options = new Options(node ?? DocNode.Object([], "/options", new DocPosition(1, 1)), DocumentSpecs.Options);
        if (node is not null) SpecValidator.Check(node, DocumentSpecs.Options, Roles.Both, _d, []);
        if (_d.HasErrors) return new RunOptions(4096, 0, 512);
        return new RunOptions((int)options.Int("batch_size"), (int)options.Int("parallelism"), options.Int("memory_mb"));
    }

    private IReadOnlyList<TestCase> Tests(DocNode? node)
    {
        if (node is null) return [];
        if (!node.IsArray)
        {
            _d.Add(node, $"\"tests\" must be a list of {{\"name\", \"input\", \"expect\"}} objects, found {node.Describe()}");
            return [];
        }
        var tests = new List<TestCase>();
        foreach (var item in node.Items)
        {
            int before = _d.Count;
            SpecValidator.Check(item, DocumentSpecs.Test, Roles.Both, _d, []);
            if (_d.Count > before) continue;
            var input = Records(item["input"]!);
            var expect = Records(item["expect"]!);
            if (input is not null && expect is not null)
                tests.Add(new TestCase(item["name"]?.Text ?? "", input, expect, item) { Rejected = item["rejected"]?.TryGetInt(out long n) == true ? n : null });
        }
        var dup = tests.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) _d.Add(dup.Last().Node, $"two tests are named \"{dup.Key}\"");
        return tests;
    }

    private IReadOnlyList<Record>? Records(DocNode node)
    {
        if (!node.IsArray)
        {
            _d.Add(node, $"expected a list of records (JSON objects), found {node.Describe()}");
            return null;
        }
        var records = new List<Record>();
        foreach (var item in node.Items)
        {
            if (!item.IsObject) _d.Add(item, $"a record is a JSON object, found {item.Describe()}");
            else records.Add(item.ToRecord());
        }
        return records.Count == node.Items.Count ? records : null;
    }
}
