using static Genesis.Execution.Tests.Sandbox.SandboxTestSupport;

namespace Genesis.Execution.Tests.Sandbox;

/// <summary>The report says which protections are in force on this machine, how, and which are not, with the reason.</summary>
public sealed class SandboxReportTests
{
    [Theory]
    [MemberData(nameof(Mechanisms), MemberType = typeof(SandboxTestSupport))]
    public void The_report_lists_every_protection_the_issue_requires_as_in_force(SandboxMechanism mechanism)
    {
        var report = Create(mechanism).Report;

        Assert.StartsWith(mechanism == SandboxMechanism.Bubblewrap ? "bubblewrap " : "unshare", report.Mechanism, StringComparison.Ordinal);
        Assert.Contains(" + rlimits", report.Mechanism, StringComparison.Ordinal);
        string[] required = ["network: none", "file system: ", "host credentials: hidden", "isolation: ", "environment: only allow-listed", "processes: at most 256", "address space: at most 8 GiB", "CPU time: at most 10 min", "file size: at most 1 GiB", "open files: at most 4096"];
        foreach (var protection in required)
        {
            Assert.Contains(report.InForce, line => line.StartsWith(protection, StringComparison.Ordinal));
        }

        Assert.Contains(report.InForce, line => line.StartsWith("host credentials: hidden", StringComparison.Ordinal) && line.Contains("/etc/shadow", StringComparison.Ordinal));
        Assert.Contains(report.Missing, line => line.StartsWith("disk: ", StringComparison.Ordinal));
        Assert.Contains(report.Missing, line => line.StartsWith("other host files: ", StringComparison.Ordinal));
        var text = report.ToString();
        Assert.StartsWith(report.Mechanism + ": network: none", text, StringComparison.Ordinal);
        Assert.Contains("(not in force: ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void On_this_machine_the_memory_and_process_limits_come_from_the_mechanism_that_works_here()
    {
        var host = HostFacts.Current;
        var report = Create(SandboxMechanism.Bubblewrap).Report;

        if (host.Cgroups.PidsBase is not null)
        {
            Assert.Contains("processes: at most 256 at once (cgroup v1 pids.max)", report.InForce);
            Assert.Contains("pids", report.Mechanism, StringComparison.Ordinal);
        }
        else if (!host.IsRoot)
        {
            Assert.Contains("processes: at most 256 at once (RLIMIT_NPROC in the sandbox's own user namespace)", report.InForce);
        }
        else
        {
            Assert.Contains(report.Missing, line => line.StartsWith("processes: not limited: this process runs as root", StringComparison.Ordinal));
        }

        if (host.Cgroups.MemoryBase is not null)
        {
            Assert.Contains(report.InForce, line => line.StartsWith("memory: at most 4 GiB resident for the whole sandbox", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(report.Missing, line => line.StartsWith("memory: the sandbox's total memory is not limited: no memory cgroup", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Lifted_limits_and_allowed_network_are_listed_as_missing_with_the_option_named()
    {
        var report = Create(SandboxMechanism.Bubblewrap, new SandboxPolicy { AllowNetwork = true, MaxCpuTime = null, MaxProcesses = null, MaxMemoryBytes = null, MaxOpenFiles = null }).Report;

        Assert.Contains("network: allowed (SandboxPolicy.AllowNetwork is true)", report.Missing);
        Assert.Contains("CPU time: not limited (SandboxPolicy.MaxCpuTime is null)", report.Missing);
        Assert.Contains("processes: not limited (SandboxPolicy.MaxProcesses is null)", report.Missing);
        Assert.Contains("memory: the sandbox's total memory is not limited (SandboxPolicy.MaxMemoryBytes is null)", report.Missing);
        Assert.Contains("open files: not limited (SandboxPolicy.MaxOpenFiles is null)", report.Missing);
        Assert.DoesNotContain(report.InForce, line => line.StartsWith("network", StringComparison.Ordinal));
        Assert.DoesNotContain("pids", report.Mechanism, StringComparison.Ordinal);
    }

    [Fact]
    public void The_limits_only_sandbox_says_what_it_cannot_isolate()
    {
        var report = Sandboxes.Create(SandboxMechanism.LimitsOnly).Report;

        Assert.StartsWith("limits only", report.Mechanism, StringComparison.Ordinal);
        Assert.Contains(report.Missing, line => line.StartsWith("network: not isolated", StringComparison.Ordinal));
        Assert.Contains(report.Missing, line => line.StartsWith("file system: not read-only", StringComparison.Ordinal));
        Assert.Contains(report.InForce, line => line.StartsWith("environment: only allow-listed", StringComparison.Ordinal));
    }

    [Fact]
    public void No_sandbox_reports_every_protection_missing_and_leaves_requests_alone()
    {
        var request = new ProcessRequest { FileName = "python3", WorkingDirectory = "/" };

        Assert.Equal("none", Sandboxes.None.Report.Mechanism);
        Assert.Empty(Sandboxes.None.Report.InForce);
        Assert.Contains(Sandboxes.None.Report.Missing, line => line.Contains("Sandboxes.None", StringComparison.Ordinal));
        Assert.Same(request, Sandboxes.None.Wrap(request));
        Assert.Same(Sandboxes.None, Sandboxes.Create(SandboxMechanism.None));
    }

    [Fact]
    public void Detect_picks_the_strongest_mechanism_and_bubblewrap_works_here()
    {
        Create(SandboxMechanism.Bubblewrap);

        Assert.Equal(SandboxMechanism.Bubblewrap, Sandboxes.Strongest);
        Assert.StartsWith("bubblewrap ", Sandboxes.Detect().Report.Mechanism, StringComparison.Ordinal);
        Assert.StartsWith("bubblewrap ", Sandboxes.Default.Report.Mechanism, StringComparison.Ordinal);
        Assert.Same(Sandboxes.Default, Sandboxes.Default);
    }
}
