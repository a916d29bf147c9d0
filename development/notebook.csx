// The Ocht notebook: pipelines in a C# REPL. From the repository root:
//   dotnet tool restore && dotnet build development
//   dotnet csharprepl development/notebook.csx      (or: dotnet script development/notebook.csx)
// It runs these lines, then leaves you at the prompt with `orders` loaded. Paths are taken from the
// repository root; nothing is written: runs keep their output in memory.
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
