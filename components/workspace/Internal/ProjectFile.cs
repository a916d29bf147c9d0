using System.Xml;
using System.Xml.Linq;

namespace Ocht.Workspace;

/// <summary>An item of a csproj (a project or package reference, an InternalsVisibleTo) and the line it is on.</summary>
/// <param name="Value">A package id, an assembly name, or for project references the referenced csproj's full path.</param>
/// <param name="File">The workspace-relative file the item is written in (a csproj or a Directory.Build.props).</param>
internal sealed record ProjectItem(string Value, string File, int Line);

/// <summary>What the checks need from a csproj: its references and names, as written (no MSBuild evaluation).</summary>
internal sealed class ProjectFile
{
    private ProjectFile(string fullPath, string relativePath, string rootNamespace, string sdk)
    {
        FullPath = fullPath;
        RelativePath = relativePath;
        RootNamespace = rootNamespace;
        Sdk = sdk;
    }

    public string FullPath { get; }
    /// <summary>Relative to the workspace root, with forward slashes (how workspace.json and messages name it).</summary>
    public string RelativePath { get; }
    /// <summary>The brick's namespace: RootNamespace, else the assembly name (what code names it by).</summary>
    public string RootNamespace { get; }
    public string Sdk { get; }
    public List<ProjectItem> ProjectReferences { get; } = [];
    public List<ProjectItem> PackageReferences { get; } = [];
    public List<ProjectItem> FrameworkReferences { get; } = [];
    public List<ProjectItem> InternalsVisibleTo { get; } = [];

    /// <summary>Reads a csproj and the Directory.Build.props files between it and the root: items written
    /// there (tests/Directory.Build.props references the testkit) belong to every project below them.</summary>
    public static ProjectFile Read(string root, string csproj)
    {
        var document = Load(csproj);
        string name = Path.GetFileNameWithoutExtension(csproj);
        string assembly = Property(document, "AssemblyName") ?? name;
        var project = new ProjectFile(csproj, Paths.Relative(root, csproj), Property(document, "RootNamespace") ?? assembly,
            document.Root?.Attribute("Sdk")?.Value ?? "");
        project.AddItems(root, csproj, document);
        for (var dir = Path.GetDirectoryName(csproj); dir is not null && Paths.IsWithin(root, dir); dir = Path.GetDirectoryName(dir))
        {
            string props = Path.Combine(dir, "Directory.Build.props");
            if (File.Exists(props)) project.AddItems(root, props, Load(props));
            if (Paths.Same(dir, root)) break;
        }
        return project;
    }

    private static XDocument Load(string path)
    {
        try
        {
            return XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new WorkspaceException($"{path}:{e.LineNumber}: not a readable project file: {e.Message}");
        }
    }

    private static string? Property(XDocument document, string name) =>
        document.Descendants().FirstOrDefault(e => e.Name.LocalName == name && e.Parent?.Name.LocalName == "PropertyGroup")?.Value.Trim();

    /// <remarks>MSBuild resolves a relative ProjectReference against the project, even when a props file
    /// writes it; $(MSBuildThisFileDirectory) is the folder of the file that writes it.</remarks>
    private void AddItems(string root, string file, XDocument document)
    {
        string relative = Paths.Relative(root, file);
        string directory = Path.GetDirectoryName(file)!;
        string projectDirectory = Path.GetDirectoryName(FullPath)!;
        foreach (var element in document.Descendants())
        {
            string? include = element.Attribute("Include")?.Value;
            if (include is null) continue;
            int line = ((IXmlLineInfo)element).LineNumber;
            switch (element.Name.LocalName)
            {
                case "ProjectReference":
                    string path = include.Replace("$(MSBuildThisFileDirectory)", directory + Path.DirectorySeparatorChar).Replace('\\', '/');
                    ProjectReferences.Add(new ProjectItem(Path.GetFullPath(path, projectDirectory), relative, line));
                    break;
                // A downloaded package referenced by its assembly (the kafka brick's Confluent.Kafka) is a package too.
                case "PackageReference" or "PackageDownload":
                    PackageReferences.Add(new ProjectItem(include, relative, line));
                    break;
                case "FrameworkReference":
                    FrameworkReferences.Add(new ProjectItem(include, relative, line));
                    break;
                case "InternalsVisibleTo":
                    InternalsVisibleTo.Add(new ProjectItem(include, relative, line));
                    break;
            }
        }
    }
}
