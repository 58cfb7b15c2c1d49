using Genesis.Execution.Tests.Support;

namespace Genesis.Execution.Tests.Slurm;

public sealed class SlurmBackendOptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_values()
    {
        var options = new SlurmBackendOptions();

        Assert.Equal(64, options.MaxParallelism);
        Assert.Null(options.Partition);
        Assert.Equal("genesis", options.JobName);
        Assert.Null(options.TimeLimit);
        Assert.Equal(1, options.CpusPerTask);
        Assert.Null(options.MemoryPerTaskMegabytes);
        Assert.Equal(TimeSpan.FromSeconds(1), options.PollInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.BatchWindow);
        Assert.Equal(TimeSpan.FromSeconds(30), options.LostJobGrace);
        Assert.Null(options.RunFolder);
        Assert.False(options.KeepJobFiles);
        Assert.Empty(options.ExtraSbatchArguments);
        Assert.Null(options.InheritedVariables);
        Assert.Null(options.Sandbox);
        Assert.Equal(3, options.Retry.MaxAttempts);
        Assert.Equal(SlurmJobFailure.Lost | SlurmJobFailure.NodeFailure | SlurmJobFailure.Preempted, options.Retry.RetryOn);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Retry.Delay);
        Assert.Null(options.OnJobFailure);
        Assert.Null(options.SlurmBinDirectory);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CommandTimeout);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        options.Validate();
    }

    public static TheoryData<Action<SlurmBackendOptions>, string> Invalid => new()
    {
        { o => o.MaxParallelism = 0, "SlurmBackendOptions.MaxParallelism must be between 1 and 1000, was 0." },
        { o => o.MaxParallelism = 1001, "SlurmBackendOptions.MaxParallelism must be between 1 and 1000, was 1001." },
        { o => o.Partition = "two words", "SlurmBackendOptions.Partition must be null or a partition name without spaces, was 'two words'." },
        { o => o.JobName = " ", "SlurmBackendOptions.JobName must be a non-empty name without control characters." },
        { o => o.TimeLimit = TimeSpan.FromSeconds(30), "SlurmBackendOptions.TimeLimit must be null or at least 1 minute, was 00:00:30." },
        { o => o.CpusPerTask = 0, "SlurmBackendOptions.CpusPerTask must be between 1 and 4096, was 0." },
        { o => o.MemoryPerTaskMegabytes = 0, "SlurmBackendOptions.MemoryPerTaskMegabytes must be null or at least 1, was 0." },
        { o => o.PollInterval = TimeSpan.Zero, "SlurmBackendOptions.PollInterval must be between 00:00:00.0100000 and 00:10:00, was 00:00:00." },
        { o => o.BatchWindow = TimeSpan.FromMinutes(11), "SlurmBackendOptions.BatchWindow must be between 00:00:00 and 00:10:00, was 00:11:00." },
        { o => o.LostJobGrace = TimeSpan.FromSeconds(-1), "SlurmBackendOptions.LostJobGrace must be between 00:00:00 and 01:00:00, was -00:00:01." },
        { o => o.CommandTimeout = TimeSpan.FromMilliseconds(10), "SlurmBackendOptions.CommandTimeout must be between 00:00:01 and 00:10:00, was 00:00:00.0100000." },
        { o => o.RunFolder = "", "SlurmBackendOptions.RunFolder must be null or name a folder." },
        { o => o.ExtraSbatchArguments = ["--qos=x", ""], "SlurmBackendOptions.ExtraSbatchArguments must not hold a null or empty argument." },
        { o => o.InheritedVariables = [""], "SlurmBackendOptions.InheritedVariables must not hold a null or empty name." },
        { o => o.Retry = null!, "SlurmBackendOptions.Retry must not be null." },
        { o => o.Retry.MaxAttempts = 0, "SlurmRetryPolicy.MaxAttempts must be between 1 and 100, was 0." },
        { o => o.Retry.Delay = TimeSpan.FromHours(2), "SlurmRetryPolicy.Delay must be between 0 and 01:00:00, was 02:00:00." },
        { o => o.Retry.RetryOn = (SlurmJobFailure)1024, "SlurmRetryPolicy.RetryOn holds an unknown failure: 1024." },
        { o => o.SlurmBinDirectory = " ", "SlurmBackendOptions.SlurmBinDirectory must be null or name a folder." },
        { o => o.TimeProvider = null!, "SlurmBackendOptions.TimeProvider must not be null." },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_option_is_rejected_with_a_message_naming_it(Action<SlurmBackendOptions> change, string message)
    {
        var options = new SlurmBackendOptions();
        change(options);

        var error = Assert.ThrowsAny<ArgumentException>(() => new SlurmBackend(options));

        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void The_backend_copies_its_options_and_resolves_the_run_folder()
    {
        var options = new SlurmBackendOptions { MaxParallelism = 3, RunFolder = "relative/run" };
        var backend = new SlurmBackend(options);
        options.MaxParallelism = 9;

        Assert.Equal(3, backend.MaxParallelism);
        Assert.Equal(Path.GetFullPath("relative/run"), backend.RunFolder);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), ".genesis", "slurm"), new SlurmBackend().RunFolder);
    }

    [Fact]
    public void The_factory_passes_partition_slots_and_run_folder()
    {
        var backend = Backends.Slurm(partition: "debug", maxJobsInFlight: 7, runFolder: "/tmp/genesis-slurm-factory");

        Assert.Equal(7, backend.MaxParallelism);
        Assert.Equal("/tmp/genesis-slurm-factory", backend.RunFolder);
        Assert.Throws<ArgumentOutOfRangeException>(() => Backends.Slurm(maxJobsInFlight: 0));
    }

    [Fact]
    public async Task The_probe_names_a_missing_slurm_command_and_the_alternative()
    {
        using var folder = new TempFolder();
        var backend = new SlurmBackend(new SlurmBackendOptions { SlurmBinDirectory = folder.Path, RunFolder = folder.File("run") });

        var error = await Assert.ThrowsAsync<ToolchainNotFoundException>(async () => await backend.ProbeAsync());

        Assert.Equal($"sbatch was not found in {folder.Path}: install Slurm or use Backends.Local()", error.Message);
    }

    [Fact]
    public void The_retry_policy_retries_only_the_chosen_failures_while_attempts_are_left()
    {
        var policy = new SlurmRetryPolicy { MaxAttempts = 2, RetryOn = SlurmJobFailure.Lost | SlurmJobFailure.NodeFailure };

        Assert.True(policy.ShouldRetry(SlurmJobFailure.Lost, 1));
        Assert.True(policy.ShouldRetry(SlurmJobFailure.NodeFailure, 1));
        Assert.False(policy.ShouldRetry(SlurmJobFailure.Lost, 2));
        Assert.False(policy.ShouldRetry(SlurmJobFailure.TimeLimit, 1));
        Assert.False(policy.ShouldRetry(SlurmJobFailure.SubmitFailed, 1));
    }
}
