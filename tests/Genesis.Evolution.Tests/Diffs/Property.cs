using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Genesis.Tests.Diffs;

/// <summary>Runs FsCheck properties from xUnit facts with a fixed seed, so failures reproduce.</summary>
internal static class Property
{
    public static void Check<T>(Gen<T> generator, Action<T> assertion, int maxTest = 300, ulong seed = 20250611)
    {
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(maxTest)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));
        FsCheck.Check.One(config, Prop.ForAll(generator.ToArbitrary(), assertion));
    }
}
