namespace Ocht.Postgres.Tests;

public sealed class SinkTests : IDisposable
{
    private readonly TestDatabase _db = new();

    private static string Doc(string sink, string extra = "", string steps = "", string otherSink = "") => $$"""
        {"ocht": 1, "name": "load", "options": {"batch_size": 2}, "source": {"connector": "memory", "name": "in"}, "steps": [{{steps}}],
         "sinks": [{"connector": "postgres", "connection": "${env:OCHT_PG}", {{sink}} } {{otherSink}}] {{extra}} }
        """;

    private const string DeadLetters = """, "on_error": {"policy": "dead-letter", "sink": {"connector": "memory", "name": "dead"}}""";

    [Fact]
    public async Task Upsert_is_idempotent_and_the_last_record_of_a_key_wins()
    {
        _db.Input("in", """{"id": 1, "qty": 1}""", """{"id": 2, "qty": 5}""", """{"id": 1, "qty": 3}""", """{"id": 3, "qty": 7}""", """{"id": 3, "qty": 8}""");
        string doc = Doc(""" "table": "stock", "mode": "upsert", "key": ["id"], "create": true """);
        Assert.True((await _db.RunAsync(doc)).Succeeded);
        var once = _db.Json("SELECT * FROM stock ORDER BY id");
        Assert.Equal(["""{"id":1,"qty":3}""", """{"id":2,"qty":5}""", """{"id":3,"qty":8}"""], once);
        Assert.True((await _db.RunAsync(doc)).Succeeded);
        Assert.Equal(once, _db.Json("SELECT * FROM stock ORDER BY id"));
    }

    [Fact]
    public async Task Upsert_of_batches_released_together_applies_each_once_and_in_order()
    {
        // A sort releases every batch at the end of the run, one after the other without a flush between them:
        // the sink's two connections take them in turn, and the later record of a key must still win.
        _db.Input("in", """{"id": 1, "n": 1}""", """{"id": 2, "n": 2}""", """{"id": 1, "n": 3}""", """{"id": 2, "n": 4}""", """{"id": 1, "n": 5}""");
        string doc = Doc(""" "table": "latest", "mode": "upsert", "key": ["id"], "create": true """, steps: """{"op": "sort", "by": [":n"]}""");
        var report = await _db.RunAsync(doc);
        Assert.True(report.Succeeded);
        Assert.Equal(5, report.Records.Written);
        Assert.Equal(["""{"id":1,"n":5}""", """{"id":2,"n":4}"""], _db.Json("SELECT * FROM latest ORDER BY id"));
    }

    [Fact]
    public async Task Upsert_keeps_the_last_of_an_integer_key_repeated_within_one_batch()
    {
        // Batches of 2: the first holds key 7 twice (merged with the sort that finds each key's last record),
        // the second has different keys (merged without it).
        _db.Input("in", """{"id": 7, "qty": 1}""", """{"id": 7, "qty": 2}""", """{"id": 8, "qty": 3}""", """{"id": 7, "qty": 4}""");
        Assert.True((await _db.RunAsync(Doc(""" "table": "stock", "mode": "upsert", "key": ["id"], "create": true """))).Succeeded);
        Assert.Equal(["""{"id":7,"qty":4}""", """{"id":8,"qty":3}"""], _db.Json("SELECT * FROM stock ORDER BY id"));
        _db.Input("in", """{"id": 9, "qty": 1}""", """{"id": 9, "qty": 2}""");
        Assert.True((await _db.RunAsync(Doc(""" "table": "stock", "mode": "upsert", "key": ["id"] """))).Succeeded);
        Assert.Equal("""{"id":9,"qty":2}""", _db.Json("SELECT * FROM stock WHERE id = 9").Single());
    }

    [Fact]
    public async Task Upsert_with_a_composite_key_updates_only_the_other_columns()
    {
        _db.Execute("CREATE TABLE prices (shop text, sku text, price numeric(8,2), note text DEFAULT 'kept', PRIMARY KEY (shop, sku)); INSERT INTO prices VALUES ('a', 'x', 1, 'old')");
        _db.Input("in", """{"shop": "a", "sku": "x", "price": 2.50}""", """{"shop": "b", "sku": "x", "price": 3}""");
        Assert.True((await _db.RunAsync(Doc(""" "table": "prices", "mode": "upsert", "key": ["shop", "sku"] """))).Succeeded);
        Assert.Equal(["""{"shop":"a","sku":"x","price":2.50,"note":"old"}""", """{"shop":"b","sku":"x","price":3.00,"note":"kept"}"""],
            _db.Json("SELECT * FROM prices ORDER BY shop"));
    }

    [Fact]
    public async Task Insert_appends_on_every_run()
    {
        _db.Execute("CREATE TABLE log (id bigint, msg text)");
        _db.Input("in", """{"id": 1, "msg": "a"}""", """{"id": 2, "msg": "b"}""", """{"id": 3, "msg": "c"}""");
        Assert.True((await _db.RunAsync(Doc(""" "table": "log" """))).Succeeded);
        Assert.True((await _db.RunAsync(Doc(""" "table": "log" """))).Succeeded);
        Assert.Equal(6L, _db.Scalar<long>("SELECT count(*) FROM log"));
    }

    [Fact]
    public async Task Replace_swaps_the_content_and_a_failed_run_leaves_the_old_rows()
    {
        _db.Execute("CREATE TABLE snapshot (id bigint, v text); INSERT INTO snapshot VALUES (100, 'old')");
        _db.Input("in", """{"id": 1, "v": "a"}""", """{"id": 2, "v": "b"}""", """{"id": 3, "v": "c"}""", """{"id": 4, "v": "d"}""", """{"id": 5, "v": "e"}""");
        // The second sink fails after three records: the run fails, and replace must not have committed.
        string failing = Doc(""" "table": "snapshot", "mode": "replace" """, otherSink: """, {"connector": "memory", "name": "side", "durable": true, "fail_after": 3}""");
        var failed = await _db.RunAsync(failing);
        Assert.False(failed.Succeeded);
        Assert.Equal(["""{"id":100,"v":"old"}"""], _db.Json("SELECT * FROM snapshot"));

        Assert.True((await _db.RunAsync(Doc(""" "table": "snapshot", "mode": "replace" """))).Succeeded);
        Assert.Equal(["a", "b", "c", "d", "e"], _db.Json("SELECT v FROM snapshot ORDER BY id").Select(j => j[6..^2]));

        _db.Input("in");
        Assert.True((await _db.RunAsync(Doc(""" "table": "snapshot", "mode": "replace" """))).Succeeded);
        Assert.Equal(0L, _db.Scalar<long>("SELECT count(*) FROM snapshot"));
    }

    [Fact]
    public async Task Create_makes_the_table_from_the_records_types()
    {
        _db.Input("in",
            """{"id": 1, "price": 12.50, "ratio": 1e-3, "ok": true, "at": "2024-05-17T13:45:12Z", "tags": ["a"], "meta": {"k": 1}, "nothing": null, "name": "x"}""",
            """{"id": 2, "price": 1.00, "ratio": 2e0, "ok": false, "at": "2024-05-18T00:00:00Z", "tags": [], "meta": {}, "nothing": null, "name": "y"}""");
        string doc = Doc(""" "table": "made", "create": true """, steps: """{"op": "cast", "fields": {"at": "timestamp"}}""");
        Assert.True((await _db.RunAsync(doc)).Succeeded);
        var types = _db.Json("SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_name = 'made' AND table_schema = current_schema() ORDER BY ordinal_position");
        Assert.Equal(["bigint", "numeric", "double precision", "boolean", "timestamp with time zone", "jsonb", "jsonb", "text", "text"],
            types.Select(t => t.Split("\"t\":\"")[1].TrimEnd('"', '}')));
        Assert.Equal("""{"id":1,"price":12.50,"ratio":0.001,"ok":true,"at":"2024-05-17T13:45:12+00:00","tags":["a"],"meta":{"k": 1},"nothing":null,"name":"x"}""",
            _db.Json("SELECT * FROM made ORDER BY id")[0]);
    }

    [Fact]
    public async Task A_created_dead_letter_table_has_every_dead_letter_field_whichever_letter_comes_first()
    {
        // The first letters carry "record"; a later one may carry "raw" instead (a line that is not JSON), and
        // "line" or "step" may be null at first: the columns take the dead-letter fields' declared types, not a
        // sample's. (Raw first: tests/Ocht.Streaming.Tests.)
        _db.Input("in", """{"n": "abc"}""", """{"n": "7"}""");
        string doc = $$"""
            {"ocht": 1, "name": "letters", "source": {"connector": "memory", "name": "in"},
             "steps": [{"op": "cast", "fields": {"n": "int"} }], "sink": {"connector": "memory", "name": "out"},
             "on_error": {"policy": "dead-letter", "sink": {"connector": "postgres", "connection": "${env:OCHT_PG}", "table": "letters", "create": true} } }
            """;
        var report = await _db.RunAsync(doc);
        Assert.True(report.Succeeded, report.Error?.Message);
        var columns = _db.Json("SELECT column_name || ' ' || data_type AS c FROM information_schema.columns WHERE table_name = 'letters' AND table_schema = current_schema() ORDER BY ordinal_position");
        Assert.Equal(["record jsonb", "raw text", "step bigint", "op text", "error text", "message text", "line bigint", "source text"],
            columns.Select(c => c.Split("\"c\":\"")[1].TrimEnd('"', '}')));
        Assert.Equal(1L, _db.Scalar<long>("SELECT count(*) FROM letters WHERE record->>'n' = 'abc' AND error = 'type-error'"));
    }

    [Fact]
    public async Task Without_create_a_missing_table_fails_the_run_with_a_clear_message()
    {
        _db.Input("in", """{"id": 1}""");
        var report = await _db.RunAsync(Doc(""" "table": "absent" """));
        Assert.Equal("io-error", report.Error!.Kind);
        Assert.Equal("postgres:absent: table absent does not exist; create it or set \"create\": true", report.Error.Message);
    }

    [Fact]
    public async Task Records_that_do_not_fit_the_columns_are_rejected_with_the_reason_and_the_rest_is_written()
    {
        _db.Execute("CREATE TABLE typed (id integer NOT NULL, code varchar(3), amount numeric(5,2), day date, at timestamp, u uuid)");
        _db.Input("in",
            """{"id": 1, "code": "abc", "amount": 999.99, "day": "2024-01-01T00:00:00Z", "at": "2024-01-01T10:00:00Z", "u": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}""",
            """{"id": "two", "code": "abc", "amount": 1, "day": null, "at": null, "u": null}""",
            """{"id": 3, "code": "abcd", "amount": 1, "day": null, "at": null, "u": null}""",
            """{"id": 4, "code": "x", "amount": 1000, "day": null, "at": null, "u": null}""",
            """{"id": null, "code": "x", "amount": 1, "day": null, "at": null, "u": null}""",
            """{"id": 6, "code": "x", "amount": 1, "day": null, "at": null, "u": "nope"}""",
            """{"id": 5000000000, "code": "x", "amount": 1, "day": null, "at": null, "u": null}""",
            """{"id": 8, "code": "日本語", "amount": 1.005, "day": null, "at": null, "u": null}""");
        string doc = Doc(""" "table": "typed" """, DeadLetters, steps: """{"op": "cast", "fields": {"day": "timestamp", "at": "timestamp"}}""");
        var report = await _db.RunAsync(doc);
        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal(6, report.Records.Rejected);
        var messages = _db.Store.Output("dead").Committed.Select(d => d["message"].AsString).ToArray();
        Assert.Equal([
            "column \"id\" (integer) cannot take text \"two\"",
            "column \"code\" (character varying(3)) cannot take text \"abcd\": longer than 3 characters",
            "column \"amount\" (numeric(5,2)) cannot take int 1000: more than 3 digits before the point",
            "column \"id\" is NOT NULL and the value is null",
            "column \"u\" (uuid) cannot take text \"nope\": not a UUID",
            "column \"id\" (integer) cannot take int 5000000000: out of range",
        ], messages);
        Assert.All(_db.Store.Output("dead").Committed, d => Assert.Equal("type-error", d["error"].AsString));
        Assert.Equal(["""{"id":1,"code":"abc","amount":999.99,"day":"2024-01-01","at":"2024-01-01T10:00:00","u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}""",
                      """{"id":8,"code":"日本語","amount":1.01,"day":null,"at":null,"u":null}"""],
            _db.Json("SELECT * FROM typed ORDER BY id"));
    }

    [Fact]
    public async Task Text_holding_U0000_is_rejected_alone_since_the_server_would_refuse_the_whole_batch()
    {
        _db.Execute("CREATE TABLE notes (id bigint, note text, doc jsonb)");
        _db.Input("in", """{"id": 1, "note": "a\u0000b", "doc": {}}""", """{"id": 2, "note": "fine", "doc": {"k": ["x\u0000"]}}""",
            """{"id": 3, "note": "ok", "doc": {"k": ["x"]}}""");
        var report = await _db.RunAsync(Doc(""" "table": "notes" """, DeadLetters));
        Assert.True(report.Succeeded, report.Error?.Message);
        Assert.Equal(2, report.Records.Rejected);
        Assert.All(_db.Store.Output("dead").Committed, d => Assert.EndsWith(": it contains the character U+0000, which PostgreSQL cannot store in text or jsonb", d["message"].AsString));
        Assert.Equal(["""{"id":3,"note":"ok","doc":{"k": ["x"]}}"""], _db.Json("SELECT * FROM notes"));
    }

    [Fact]
    public async Task A_field_the_table_lacks_rejects_the_record_with_a_suggestion()
    {
        _db.Execute("CREATE TABLE narrow (id bigint, quantity bigint)");
        _db.Input("in", """{"id": 1, "quantty": 2}""");
        var report = await _db.RunAsync(Doc(""" "table": "narrow" """, DeadLetters));
        Assert.True(report.Succeeded);
        var dead = Assert.Single(_db.Store.Output("dead").Committed);
        Assert.Equal("sink-error", dead["error"].AsString);
        Assert.Equal("table narrow has no column \"quantty\"; did you mean \"quantity\"?", dead["message"].AsString);
    }

    [Fact]
    public async Task Odd_identifiers_are_quoted_and_kept_exactly()
    {
        _db.Input("in", """{"Order ID": 1, "it's \"quoted\"": "a", "select": true}""");
        Assert.True((await _db.RunAsync(Doc(""" "table": "Order Items", "create": true """))).Succeeded);
        Assert.Equal(["""{"Order ID":1,"it's \"quoted\"":"a","select":true}"""], _db.Json("SELECT * FROM \"Order Items\""));

        _db.Input("in", """{"id": 1}""");
        Assert.True((await _db.RunAsync(Doc($$""" "table": "{{_db.Schema}}.we\"ird'; DROP TABLE x; --", "create": true """))).Succeeded);
        Assert.Equal(1L, _db.Scalar<long>("SELECT count(*) FROM \"we\"\"ird'; DROP TABLE x; --\""));
    }

    [Fact]
    public async Task An_injection_attempt_in_a_value_stays_a_value()
    {
        _db.Execute("CREATE TABLE notes (id bigint, body text)");
        const string evil = "x'); DROP TABLE notes; --";
        _db.Input("in", $$"""{"id": 1, "body": "{{evil}}"}""");
        Assert.True((await _db.RunAsync(Doc(""" "table": "notes" """))).Succeeded);
        Assert.Contains(evil, _db.Scalar<string>("SELECT string_agg(body, '|') FROM notes"));
    }

    public void Dispose() => _db.Dispose();
}
