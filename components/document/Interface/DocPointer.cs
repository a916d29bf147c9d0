namespace Ocht.Document;

/// <summary>JSON pointer (RFC 6901) helpers.</summary>
public static class DocPointer
{
    public static string Escape(string name) => name.Replace("~", "~0").Replace("/", "~1");
    public static string Child(string parent, string name) => parent + "/" + Escape(name);
    public static string Child(string parent, int index) => parent + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
