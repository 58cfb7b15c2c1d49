namespace Genesis.Datasets;

/// <summary>
/// One acceptable answer to a <see cref="TaskSample"/>: a single span for most tasks, several spans for a DROP question
/// whose answer is a list (for example the two players who scored). A sample may list several gold answers; matching any
/// of them counts.
/// </summary>
public sealed class GoldAnswer : IEquatable<GoldAnswer>
{
    /// <summary>Creates a gold answer of one span.</summary>
    /// <param name="text">The answer, for example <c>42</c> or <c>B</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public GoldAnswer(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Spans = [text];
    }

    /// <summary>Creates a gold answer made of several spans, all of which are needed.</summary>
    /// <param name="spans">The spans, at least one; none may be <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="spans"/> is empty or holds <see langword="null"/>.</exception>
    public GoldAnswer(IEnumerable<string> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var list = spans.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A gold answer needs at least one span.", nameof(spans));
        }

        if (Array.Exists(list, s => s is null))
        {
            throw new ArgumentException("A gold answer's spans must not be null.", nameof(spans));
        }

        Spans = list;
    }

    /// <summary>The spans, in order; one for a plain answer.</summary>
    public IReadOnlyList<string> Spans { get; }

    /// <summary>The spans joined by <c>", "</c>; the answer itself when there is one span.</summary>
    public string Text => Spans.Count == 1 ? Spans[0] : string.Join(", ", Spans);

    /// <summary>Converts a string to a one-span gold answer, so that <c>References = ["42"]</c> reads naturally.</summary>
    /// <param name="text">The answer.</param>
    public static implicit operator GoldAnswer(string text) => new(text);

    /// <summary>Creates a one-span gold answer (the named form of the implicit conversion).</summary>
    /// <param name="text">The answer.</param>
    public static GoldAnswer FromString(string text) => new(text);

    /// <inheritdoc />
    public bool Equals(GoldAnswer? other) =>
        other is not null && (ReferenceEquals(this, other) || Spans.SequenceEqual(other.Spans, StringComparer.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GoldAnswer);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var span in Spans)
        {
            hash.Add(span, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => Spans.Count == 1 ? Spans[0] : "[" + string.Join(" | ", Spans) + "]";
}
