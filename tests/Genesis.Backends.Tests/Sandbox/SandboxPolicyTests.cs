namespace Genesis.Execution.Tests.Sandbox;

public sealed class SandboxPolicyTests
{
    [Fact]
    public void The_defaults_are_the_documented_values()
    {
        var policy = new SandboxPolicy();

        Assert.False(policy.AllowNetwork);
        Assert.Equal(4L << 30, policy.MaxMemoryBytes);
        Assert.Equal(8L << 30, policy.MaxAddressSpaceBytes);
        Assert.Equal(256, policy.MaxProcesses);
        Assert.Equal(TimeSpan.FromMinutes(10), policy.MaxCpuTime);
        Assert.Equal(1L << 30, policy.MaxFileSizeBytes);
        Assert.Equal(4096, policy.MaxOpenFiles);
        Assert.Equal(512L << 20, policy.ScratchSizeBytes);
        Assert.Same(SandboxPolicy.DefaultAllowedVariables, policy.AllowedVariables);
        Assert.Same(SandboxPolicy.DefaultHiddenPaths, policy.HiddenPaths);
        Assert.Same(SandboxPolicy.DefaultReadOnlyPaths, policy.ReadOnlyPaths);
        Assert.Empty(policy.WritablePaths);
        Assert.Contains("~", policy.HiddenPaths);
        Assert.Contains("/etc/shadow", policy.HiddenPaths);
        Assert.Contains("~/.rustup", policy.ReadOnlyPaths);
        Assert.Contains("LC_*", policy.AllowedVariables);
        Assert.DoesNotContain(policy.AllowedVariables, ChildEnvironment.IsSecret);
        policy.Validate();
    }

    [Fact]
    public void Every_limit_may_be_lifted()
    {
        new SandboxPolicy
        {
            MaxMemoryBytes = null,
            MaxAddressSpaceBytes = null,
            MaxProcesses = null,
            MaxCpuTime = null,
            MaxFileSizeBytes = null,
            MaxOpenFiles = null,
        }.Validate();
    }

    public static TheoryData<Action<SandboxPolicy>, string, string> OutOfRange => new()
    {
        { p => p.MaxMemoryBytes = (16L << 20) - 1, nameof(SandboxPolicy.MaxMemoryBytes), "SandboxPolicy.MaxMemoryBytes must be between 16777216 and 17592186044416 bytes, or null for no limit, was 16777215." },
        { p => p.MaxMemoryBytes = (16L << 40) + 1, nameof(SandboxPolicy.MaxMemoryBytes), "SandboxPolicy.MaxMemoryBytes must be between 16777216 and 17592186044416 bytes, or null for no limit, was 17592186044417." },
        { p => p.MaxAddressSpaceBytes = 1 << 20, nameof(SandboxPolicy.MaxAddressSpaceBytes), "SandboxPolicy.MaxAddressSpaceBytes must be between 67108864 and 17592186044416 bytes, or null for no limit, was 1048576." },
        { p => p.MaxFileSizeBytes = 0, nameof(SandboxPolicy.MaxFileSizeBytes), "SandboxPolicy.MaxFileSizeBytes must be between 4096 and 17592186044416 bytes, or null for no limit, was 0." },
        { p => p.MaxProcesses = 3, nameof(SandboxPolicy.MaxProcesses), "SandboxPolicy.MaxProcesses must be between 4 and 4194304, or null for no limit, was 3." },
        { p => p.MaxProcesses = 4_194_305, nameof(SandboxPolicy.MaxProcesses), "SandboxPolicy.MaxProcesses must be between 4 and 4194304, or null for no limit, was 4194305." },
        { p => p.MaxOpenFiles = 15, nameof(SandboxPolicy.MaxOpenFiles), "SandboxPolicy.MaxOpenFiles must be between 16 and 1048576, or null for the host's limit, was 15." },
        { p => p.MaxCpuTime = TimeSpan.FromMilliseconds(999), nameof(SandboxPolicy.MaxCpuTime), "SandboxPolicy.MaxCpuTime must be between 00:00:01 and 365.00:00:00, or null for no limit, was 00:00:00.9990000." },
        { p => p.MaxCpuTime = TimeSpan.FromDays(366), nameof(SandboxPolicy.MaxCpuTime), "SandboxPolicy.MaxCpuTime must be between 00:00:01 and 365.00:00:00, or null for no limit, was 366.00:00:00." },
        { p => p.ScratchSizeBytes = 1000, nameof(SandboxPolicy.ScratchSizeBytes), "SandboxPolicy.ScratchSizeBytes must be between 1048576 and 1099511627776 bytes, was 1000." },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_limit_out_of_range_is_rejected_with_a_message_naming_the_option_and_the_range(Action<SandboxPolicy> change, string option, string message)
    {
        var policy = new SandboxPolicy();
        change(policy);

        var error = Assert.Throws<ArgumentOutOfRangeException>(policy.Validate);

        Assert.Equal(option, error.ParamName);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sandboxes.Detect(policy));
    }

    [Fact]
    public void The_bounds_themselves_are_accepted()
    {
        new SandboxPolicy
        {
            MaxMemoryBytes = SandboxPolicy.MinMemoryBytes,
            MaxAddressSpaceBytes = SandboxPolicy.MaxBytesLimit,
            MaxProcesses = SandboxPolicy.MinProcesses,
            MaxCpuTime = SandboxPolicy.MinCpuTime,
            MaxFileSizeBytes = SandboxPolicy.MinFileSizeBytes,
            MaxOpenFiles = SandboxPolicy.MaxOpenFilesLimit,
            ScratchSizeBytes = SandboxPolicy.MaxScratchSizeBytes,
        }.Validate();
    }

    [Theory]
    [InlineData("relative/path", "HiddenPaths")]
    [InlineData("", "ReadOnlyPaths")]
    [InlineData("~user/x", "WritablePaths")]
    public void A_path_that_is_neither_absolute_nor_under_home_is_rejected(string path, string option)
    {
        var policy = new SandboxPolicy();
        switch (option)
        {
            case "HiddenPaths": policy.HiddenPaths = [path]; break;
            case "ReadOnlyPaths": policy.ReadOnlyPaths = ["/usr", path]; break;
            default: policy.WritablePaths = [path]; break;
        }

        var error = Assert.Throws<ArgumentException>(policy.Validate);

        Assert.Equal(option, error.ParamName);
        Assert.StartsWith($"SandboxPolicy.{option} must hold absolute paths or paths starting with '~/', was '{path}'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_list_or_a_malformed_variable_name_is_rejected()
    {
        Assert.Contains("SandboxPolicy.AllowedVariables must not be null", Assert.Throws<ArgumentException>(new SandboxPolicy { AllowedVariables = null! }.Validate).Message, StringComparison.Ordinal);
        Assert.Contains("SandboxPolicy.HiddenPaths must not be null", Assert.Throws<ArgumentException>(new SandboxPolicy { HiddenPaths = null! }.Validate).Message, StringComparison.Ordinal);
        Assert.StartsWith(
            "SandboxPolicy.AllowedVariables must hold variable names without '=', was 'A=B'.",
            Assert.Throws<ArgumentException>(new SandboxPolicy { AllowedVariables = ["PATH", "A=B"] }.Validate).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_sandbox_copies_its_policy()
    {
        var policy = new SandboxPolicy { MaxProcesses = 77 };
        var sandbox = Sandboxes.Create(SandboxMechanism.LimitsOnly, policy);
        var before = sandbox.Report.ToString();

        policy.MaxProcesses = 5;
        policy.AllowNetwork = true;

        Assert.Equal(before, sandbox.Report.ToString());
    }
}
