// The Ocht notebook: pipelines in a C# REPL. Once: `dotnet tool restore`. Then, from development/:
//   dotnet build && dotnet csharprepl -u Ocht.Development -u Ocht.Values notebook.csx
// (or `dotnet script notebook.csx` where dotnet-script is installed). It runs these lines, then leaves
// you at the prompt with `orders`, `sample` and `all` defined. Paths are taken from the repository
// root; nothing is written: runs keep their output in memory. The #r paths are relative to this
// folder, which is where csharprepl (the current directory) and dotnet-script (the script) both look.
#r "../artifacts/bin/Ocht.Development/debug/Ocht.Development.dll"
#r "../artifacts/bin/Ocht.Development/debug/Ocht.Values.dll"
#r "../artifacts/bin/Ocht.Development/debug/Ocht.Document.dll"
#r "../artifacts/bin/Ocht.Development/debug/Ocht.Expressions.dll"
#r "../artifacts/bin/Ocht.Development/debug/Ocht.Transforms.dll"
#r "../artifacts/bin/Ocht.Development/debug/Ocht.Model.dll"
#r "../artifacts/bin/Ocht.Development/debug/Ocht.Executor.dll"
using Ocht.Development;
using Ocht.Values;

var orders = Pipeline.Load("examples/paid-orders/pipeline.json");
orders.Explain();

// Records typed in place, as JSON objects, through the whole pipeline.
var sample = await orders.Run(
    """{"order_id": 1, "country": "US", "quantity": 6, "unit_price": 12.50, "discount": null, "status": "paid"}""",
    """{"order_id": 2, "country": "DE", "quantity": 9, "unit_price": 3.10, "discount": 0.5, "status": "refunded"}""");
sample.Show();

// The example's data file; the output stays in memory.
var all = await orders.RunFile("examples/paid-orders/data/orders.csv");
all.Show(maxRows: 5);

// After editing the document: orders = orders.Reload();
// Any records as a table: Table.Show(all.Records.Where(r => r["country"].AsString == "US"));
