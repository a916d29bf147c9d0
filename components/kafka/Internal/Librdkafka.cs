using System.Reflection;
using System.Runtime.InteropServices;

namespace Ocht.Kafka;

/// <summary>
/// The system's librdkafka (Debian's librdkafka1 2.0.2), mapped in for Confluent.Kafka (whose package
/// would bring it from librdkafka.redist, absent here) and for this brick's own calls: the mock cluster
/// and checking settings without creating a client.
/// </summary>
internal static partial class Librdkafka
{
    private const string Name = "librdkafka";
    private static readonly string[] Candidates = ["librdkafka.so.1", "librdkafka.so", "librdkafka.dylib", "librdkafka.dll"];

    private static readonly Lazy<IntPtr> Handle = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<bool> Resolvers = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads the library and installs the name mapping (once, from any thread); throws with
    /// what to install when the library is missing.</summary>
    public static void EnsureLoaded()
    {
        _ = Handle.Value;
        _ = Resolvers.Value;
    }

    /// <summary>True when the library can be loaded (validation uses it only when it is there).</summary>
    public static bool IsAvailable()
    {
        try
        {
            EnsureLoaded();
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    private static IntPtr Load()
    {
        foreach (string candidate in Candidates)
            if (NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        throw new DllNotFoundException("librdkafka is not installed (the kafka connector needs librdkafka.so.1): run scripts/kafka.sh install, or apt-get install librdkafka1");
    }

    private static bool Register()
    {
        Resolve(typeof(Confluent.Kafka.Library).Assembly);
        Resolve(typeof(Librdkafka).Assembly);
        return true;

        static void Resolve(Assembly assembly)
        {
            try
            {
                NativeLibrary.SetDllImportResolver(assembly, (name, _, _) => name == Name ? Handle.Value : IntPtr.Zero);
            }
            catch (InvalidOperationException)
            {
                // The host installed its own resolver for this assembly first; it maps the library itself.
            }
        }
    }

    /// <summary>Checks one setting the way a client would take it; null when librdkafka accepts it.</summary>
    public static unsafe string? CheckSetting(string name, string value)
    {
        EnsureLoaded();
        IntPtr conf = rd_kafka_conf_new();
        try
        {
            byte* error = stackalloc byte[512];
            return rd_kafka_conf_set(conf, name, value, error, 512) == 0 ? null : Text(error);
        }
        finally
        {
            rd_kafka_conf_destroy(conf);
        }
    }

    internal static unsafe string Text(byte* utf8) => Marshal.PtrToStringUTF8((IntPtr)utf8) ?? "";

    internal static string ErrorText(int code) => Marshal.PtrToStringUTF8(rd_kafka_err2str(code)) ?? $"error {code}";

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

    [LibraryImport(Name)]
    internal static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(Name)]
    internal static unsafe partial IntPtr rd_kafka_new(int type, IntPtr conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Name)]
    internal static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Name)]
    internal static partial IntPtr rd_kafka_err2str(int err);

    [LibraryImport(Name)]
    internal static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokers);

    [LibraryImport(Name)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(Name)]
    internal static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(Name)]
    internal static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(Name)]
    internal static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
}
