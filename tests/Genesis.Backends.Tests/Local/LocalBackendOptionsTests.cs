using Genesis.Execution;

namespace Genesis.Execution.Tests.Local;

public sealed class LocalBackendOptionsTests
{
    [Fact]
    public void The_defaults_are_documented_values()
    {
        var options = new LocalBackendOptions();

        Assert.Equal(Environment.ProcessorCount, options.MaxParallelism);
        Assert.Null(options.InheritedVariables);
        Assert.Equal(TimeSpan.FromSeconds(5), options.OutputDrainTimeout);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Null(options.Sandbox);
        options.Validate();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(1025)]
    public void MaxParallelism_out_of_range_is_rejected_with_a_message_naming_it(int value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LocalProcessBackend(new LocalBackendOptions { MaxParallelism = value }));

        Assert.StartsWith($"LocalBackendOptions.MaxParallelism must be between 1 and 1024, was {value}.", error.Message);
        Assert.Equal(nameof(LocalBackendOptions.MaxParallelism), error.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1024)]
    public void MaxParallelism_at_the_bounds_is_accepted(int value)
    {
        Assert.Equal(value, new LocalProcessBackend(new LocalBackendOptions { MaxParallelism = value }).MaxParallelism);
    }

    [Fact]
    public void OutputDrainTimeout_out_of_range_is_rejected_with_a_message_naming_it()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new LocalBackendOptions { OutputDrainTimeout = TimeSpan.Zero }.Validate());
        var long_ = Assert.Throws<ArgumentOutOfRangeException>(() => new LocalBackendOptions { OutputDrainTimeout = TimeSpan.FromHours(1) }.Validate());

        Assert.StartsWith("LocalBackendOptions.OutputDrainTimeout must be between 00:00:00.0010000 and 00:10:00, was 00:00:00.", zero.Message);
        Assert.StartsWith("LocalBackendOptions.OutputDrainTimeout must be between", long_.Message);
    }

    [Fact]
    public void A_null_clock_or_an_empty_variable_name_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => new LocalBackendOptions { TimeProvider = null! }.Validate());
        var error = Assert.Throws<ArgumentException>(() => new LocalBackendOptions { InheritedVariables = ["PATH", ""] }.Validate());
        Assert.Contains("LocalBackendOptions.InheritedVariables", error.Message);
    }

    [Fact]
    public void The_backend_copies_its_options()
    {
        var options = new LocalBackendOptions { MaxParallelism = 2 };
        var backend = new LocalProcessBackend(options);

        options.MaxParallelism = 9;
        options.Sandbox = Sandboxes.Default;

        Assert.Equal(2, backend.MaxParallelism);
        Assert.Same(Sandboxes.None, new LocalProcessBackend(new LocalBackendOptions { Sandbox = Sandboxes.None }).Sandbox);
    }

    [Fact]
    public void The_sandbox_is_on_by_default_and_is_the_strongest_this_machine_allows()
    {
        var backend = new LocalProcessBackend();

        Assert.Same(Sandboxes.Default, backend.Sandbox);
        Assert.Same(Sandboxes.Default, Backends.Local(1).Sandbox);
        Assert.NotSame(Sandboxes.None, backend.Sandbox);
        var expected = Sandboxes.Strongest switch
        {
            SandboxMechanism.Bubblewrap => "bubblewrap",
            SandboxMechanism.Unshare => "unshare",
            SandboxMechanism.LimitsOnly => "limits only",
            _ => "none",
        };
        Assert.StartsWith(expected, backend.Sandbox.Report.Mechanism, StringComparison.Ordinal);
    }

    [Fact]
    public void Backends_Sandboxed_takes_a_sandbox_or_a_policy_and_Unsandboxed_turns_it_off()
    {
        Assert.Same(Sandboxes.None, Backends.Unsandboxed(2).Sandbox);
        Assert.Equal(2, Backends.Unsandboxed(2).MaxParallelism);
        Assert.Same(Sandboxes.Default, Backends.Sandboxed(Sandboxes.Default, 2).Sandbox);
        Assert.Throws<ArgumentNullException>(() => Backends.Sandboxed((ISandbox)null!));
        Assert.Throws<ArgumentNullException>(() => Backends.Sandboxed((SandboxPolicy)null!));
        var sandboxed = Backends.Sandboxed(new SandboxPolicy { MaxProcesses = 32 }, 3);
        Assert.Equal(3, sandboxed.MaxParallelism);
        Assert.Contains(sandboxed.Sandbox.Report.InForce.Concat(sandboxed.Sandbox.Report.Missing), line => line.Contains("32", StringComparison.Ordinal));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Backends.Sandboxed(new SandboxPolicy { MaxProcesses = 1 }));
        Assert.StartsWith("SandboxPolicy.MaxProcesses must be between 4 and 4194304, or null for no limit, was 1.", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Backends.Unsandboxed(0));
    }

    [Fact]
    public void Backends_Local_uses_the_processor_count_by_default_and_validates_its_argument()
    {
        Assert.Equal(Environment.ProcessorCount, Backends.Local().MaxParallelism);
        Assert.Equal(3, Backends.Local(maxParallel: 3).MaxParallelism);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Backends.Local(0));
        Assert.StartsWith("LocalBackendOptions.MaxParallelism must be between 1 and 1024, was 0.", error.Message);
    }
}
