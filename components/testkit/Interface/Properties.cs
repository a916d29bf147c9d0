using FsCheck;

namespace Ocht.Testkit;

/// <summary>Runs FsCheck properties inside xUnit facts (FsCheck.Xunit is not available here).</summary>
public static class Properties
{
    public static void Check(Property property, int maxTest = 100) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(maxTest), property);
}
