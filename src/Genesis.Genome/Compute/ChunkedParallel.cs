namespace Genesis.Compute;

/// <summary>Runs a kernel over [0, length) in chunks aligned to <see cref="RandomKey.BlockSize"/>, on up to N threads.</summary>
internal readonly struct ChunkedParallel
{
    private readonly int _threads;
    private readonly int _chunkSize;

    public ChunkedParallel(int threads, int chunkSize)
    {
        _threads = threads;
        _chunkSize = chunkSize;
    }

    /// <summary>Whether a tensor of <paramref name="length"/> elements is split over threads.</summary>
    public bool IsParallel(int length) => _threads > 1 && length > _chunkSize;

    /// <summary>Calls <paramref name="body"/>(start, count) over chunks covering [0, length); one call when not parallel.</summary>
    public void For(int length, Action<int, int> body)
    {
        if (!IsParallel(length))
        {
            if (length > 0)
            {
                body(0, length);
            }

            return;
        }

        var chunkSize = _chunkSize;
        var chunks = (int)(((long)length + chunkSize - 1) / chunkSize);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, chunk =>
        {
            var start = chunk * chunkSize;
            body(start, Math.Min(chunkSize, length - start));
        });
    }

    /// <summary>Like <see cref="For"/>, with one state per worker (created by <paramref name="create"/>) merged by <paramref name="merge"/>.</summary>
    public void For<TState>(int length, Func<TState> create, Action<int, int, TState> body, Action<TState> merge)
        where TState : class
    {
        if (!IsParallel(length))
        {
            var state = create();
            if (length > 0)
            {
                body(0, length, state);
            }

            merge(state);
            return;
        }

        var chunkSize = _chunkSize;
        var chunks = (int)(((long)length + chunkSize - 1) / chunkSize);
        var gate = new object();
        Parallel.For(
            0,
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = _threads },
            create,
            (chunk, _, state) =>
            {
                var start = chunk * chunkSize;
                body(start, Math.Min(chunkSize, length - start), state);
                return state;
            },
            state =>
            {
                lock (gate)
                {
                    merge(state);
                }
            });
    }
}
