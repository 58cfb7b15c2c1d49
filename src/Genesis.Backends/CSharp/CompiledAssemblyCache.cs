namespace Genesis.Execution;

/// <summary>
/// The compilations of recent candidates, by key (the SHA-256 of the source and the settings), the least recently used
/// dropped beyond the capacity. Compile errors are kept too. Concurrent requests for the same key share one compilation.
/// </summary>
internal sealed class CompiledAssemblyCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly int _capacity;
    private int _compilations;

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> compilations.</summary>
    public CompiledAssemblyCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>How many compilations ran (cache misses).</summary>
    public int Compilations => Volatile.Read(ref _compilations);

    /// <summary>How many compilations the cache holds.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// The compilation for <paramref name="key"/>: the cached one, or a new one started on the thread pool with
    /// <paramref name="compile"/>. A compilation that failed with an exception is not kept.
    /// </summary>
    /// <param name="key">The cache key.</param>
    /// <param name="compile">Compiles on a miss.</param>
    /// <param name="cacheHit">Whether the compilation was found (possibly still running for another caller).</param>
    public Task<CSharpCompileOutput> GetOrCompile(string key, Func<CSharpCompileOutput> compile, out bool cacheHit)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node) && !node.Value.Compilation.IsFaulted && !node.Value.Compilation.IsCanceled)
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                cacheHit = true;
                return node.Value.Compilation;
            }

            if (node is not null)
            {
                _recency.Remove(node);
                _entries.Remove(key);
            }

            // Not cancellable: the compilation is shared and cached; a caller that gives up stops waiting instead.
            var compilation = Task.Run(() =>
            {
                Interlocked.Increment(ref _compilations);
                return compile();
            });
            var added = _recency.AddFirst(new Entry(key, compilation));
            _entries.Add(key, added);
            while (_entries.Count > _capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }

            cacheHit = false;
            return compilation;
        }
    }

    private sealed record Entry(string Key, Task<CSharpCompileOutput> Compilation);
}
