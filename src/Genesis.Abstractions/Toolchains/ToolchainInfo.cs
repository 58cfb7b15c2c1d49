namespace Genesis;

/// <summary>What a toolchain probe found.</summary>
/// <param name="Tool">The main tool, for example <c>rustc</c>.</param>
/// <param name="Version">Its version line, for example <c>rustc 1.95.0 (59807616e 2026-04-14)</c>.</param>
/// <param name="Flags">The flags it builds with, for example <c>-O</c>; with the version, part of the compile-cache key.</param>
public sealed record ToolchainInfo(string Tool, string Version, string Flags);
