using System.Numerics.Tensors;
using Genesis.Adapters;

namespace Genesis.Reference;

/// <summary>
/// The frozen base model of the reference benchmark: an MLP 64 → <see cref="Hidden"/> (ReLU) → 10 (softmax) with LoRA
/// adapters on <c>fc1</c> and <c>fc2</c> (ΔW = (alpha/r)·B·A, PEFT layout). The base is trained once with seeded Adam;
/// experts train only their A and B.
/// </summary>
public sealed class ReferenceModel
{
    /// <summary>The module path of the first layer.</summary>
    public const string Fc1 = "fc1";

    /// <summary>The module path of the second layer.</summary>
    public const string Fc2 = "fc2";

    private const int In = DigitsData.Features;
    private const int Out = DigitsData.Classes;
    private readonly float[] _w1;
    private readonly float[] _b1;
    private readonly float[] _w2;
    private readonly float[] _b2;

    private ReferenceModel(int hidden, int rank, double alpha)
    {
        Hidden = hidden;
        Config = LoraAdapterConfig.ForModules([Fc1, Fc2], rank, alpha, "genesis-reference-mlp");
        Layout = LoraLayout.Create([new LoraModuleShape(Fc1, rank, In, hidden), new LoraModuleShape(Fc2, rank, hidden, Out)]);
        _w1 = new float[hidden * In];
        _b1 = new float[hidden];
        _w2 = new float[Out * hidden];
        _b2 = new float[Out];
    }

    /// <summary>The hidden width.</summary>
    public int Hidden { get; }

    /// <summary>The adapters' config (rank and alpha).</summary>
    public LoraAdapterConfig Config { get; }

    /// <summary>The adapters' layout.</summary>
    public LoraLayout Layout { get; }

    /// <summary>Trains the base model on <paramref name="data"/> (Adam, minibatches of 32, seeded).</summary>
    /// <param name="data">The base task's training data.</param>
    /// <param name="hidden">The hidden width, 4 to 1024.</param>
    /// <param name="rank">The adapters' rank, 1 to hidden.</param>
    /// <param name="alpha">The adapters' alpha.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="seed">Seeds initialisation and shuffling.</param>
    public static ReferenceModel TrainBase(DigitsData data, int hidden = 32, int rank = 4, double alpha = 8, int epochs = 30, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hidden, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, hidden);
        var model = new ReferenceModel(hidden, rank, alpha);
        var random = new Random(seed);
        Gaussian(random, model._w1, Math.Sqrt(2.0 / In));
        Gaussian(random, model._w2, Math.Sqrt(2.0 / hidden));
        float[][] parameters = [model._w1, model._b1, model._w2, model._b2];
        model.Train(data, parameters, epochs, 0.01f, random, (grads, x, label, scratch) => model.Backward(null, x, label, scratch, grads, null));
        return model;
    }

    /// <summary>A fresh adapter: A ~ N(0, 1/in), B = 0 (so it starts as the base model).</summary>
    /// <param name="name">The adapter's name.</param>
    /// <param name="seed">Seeds A.</param>
    public LoraAdapter NewAdapter(string name, int seed)
    {
        var adapter = LoraAdapter.Create(name, Config, Layout);
        var random = new Random(seed);
        foreach (var module in Layout.Modules)
        {
            Gaussian(random, adapter.A(module.Path), 1.0 / Math.Sqrt(module.InFeatures));
        }

        return adapter;
    }

    /// <summary>Trains an expert adapter (A and B only; the base stays frozen) with seeded Adam.</summary>
    /// <param name="name">The expert's name.</param>
    /// <param name="data">Its source task's training data.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="learningRate">Adam's step size.</param>
    /// <param name="seed">Seeds initialisation and shuffling.</param>
    public LoraAdapter TrainExpert(string name, DigitsData data, int epochs = 40, float learningRate = 0.01f, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        var adapter = NewAdapter(name, seed);
        var values = adapter.AsMemory();
        var array = new float[adapter.ParameterCount];
        values.Span.CopyTo(array);
        Train(data, [array], epochs, learningRate, new Random(seed + 7919), (grads, x, label, scratch) => Backward(array, x, label, scratch, null, grads[0]));
        array.CopyTo(values.Span);
        return adapter;
    }

    /// <summary>Predicts every sample's label, optionally writing the softmax probabilities (10 per sample).</summary>
    /// <param name="adapter">The adapter, or <see langword="null"/> for the base model.</param>
    /// <param name="data">The samples.</param>
    /// <param name="probabilities">SampleCount·10 floats, or empty.</param>
    public int[] Predict(LoraAdapter? adapter, DigitsData data, Span<float> probabilities = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        float[]? values = adapter is null ? null : CheckedValues(adapter);
        var scratch = new Scratch(Hidden, Config.Rank);
        var labels = new int[data.SampleCount];
        for (var i = 0; i < data.SampleCount; i++)
        {
            Forward(values, data.Pixels.AsSpan(i * In, In), scratch);
            labels[i] = TensorPrimitives.IndexOfMax(scratch.P);
            if (!probabilities.IsEmpty)
            {
                scratch.P.CopyTo(probabilities.Slice(i * Out, Out));
            }
        }

        return labels;
    }

    /// <summary>The accuracy of <paramref name="adapter"/> (or the base model) on <paramref name="data"/>.</summary>
    /// <param name="adapter">The adapter, or <see langword="null"/>.</param>
    /// <param name="data">The samples.</param>
    public double Accuracy(LoraAdapter? adapter, DigitsData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var predicted = Predict(adapter, data);
        var correct = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == data.Labels[i] ? 1 : 0;
        }

        return data.SampleCount == 0 ? 0 : (double)correct / data.SampleCount;
    }

    private float[] CheckedValues(LoraAdapter adapter)
    {
        if (!adapter.Layout.Equals(Layout))
        {
            throw new ArgumentException($"ReferenceModel: adapter '{adapter.Name}' does not have the reference layout (fc1, fc2 at rank {Config.Rank}).", nameof(adapter));
        }

        return adapter.Values.ToArray();
    }

    private void Train(DigitsData data, float[][] parameters, int epochs, float learningRate, Random random, Action<float[][], ReadOnlyMemory<float>, int, Scratch> backward)
    {
        var grads = parameters.Select(p => new float[p.Length]).ToArray();
        var m = parameters.Select(p => new float[p.Length]).ToArray();
        var v = parameters.Select(p => new float[p.Length]).ToArray();
        var scratch = new Scratch(Hidden, Config.Rank);
        var order = Enumerable.Range(0, data.SampleCount).ToArray();
        const int batch = 32;
        var step = 0;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += batch)
            {
                foreach (var g in grads)
                {
                    Array.Clear(g);
                }

                var end = Math.Min(order.Length, start + batch);
                for (var k = start; k < end; k++)
                {
                    backward(grads, data.Pixels.AsMemory(order[k] * In, In), data.Labels[order[k]], scratch);
                }

                step++;
                var scale = 1f / (end - start);
                var c1 = 1 - Math.Pow(0.9, step);
                var c2 = 1 - Math.Pow(0.999, step);
                for (var p = 0; p < parameters.Length; p++)
                {
                    for (var i = 0; i < parameters[p].Length; i++)
                    {
                        var g = grads[p][i] * scale;
                        m[p][i] = (0.9f * m[p][i]) + (0.1f * g);
                        v[p][i] = (0.999f * v[p][i]) + (0.001f * g * g);
                        parameters[p][i] -= (float)(learningRate * (m[p][i] / c1) / (Math.Sqrt(v[p][i] / c2) + 1e-8));
                    }
                }
            }
        }
    }

    private void Forward(float[]? adapter, ReadOnlySpan<float> x, Scratch s)
    {
        var h = Hidden;
        var r = Config.Rank;
        for (var j = 0; j < h; j++)
        {
            s.Z1[j] = TensorPrimitives.Dot(_w1.AsSpan(j * In, In), x) + _b1[j];
        }

        if (adapter is not null)
        {
            var m1 = Layout[Fc1];
            var scale = (float)Config.Scaling(Fc1);
            for (var t = 0; t < r; t++)
            {
                s.U1[t] = TensorPrimitives.Dot(adapter.AsSpan(m1.AOffset + (t * In), In), x);
            }

            for (var j = 0; j < h; j++)
            {
                s.Z1[j] += scale * TensorPrimitives.Dot(adapter.AsSpan(m1.BOffset + (j * r), r), s.U1);
            }
        }

        for (var j = 0; j < h; j++)
        {
            s.H[j] = Math.Max(0f, s.Z1[j]);
        }

        for (var k = 0; k < Out; k++)
        {
            s.P[k] = TensorPrimitives.Dot(_w2.AsSpan(k * h, h), s.H) + _b2[k];
        }

        if (adapter is not null)
        {
            var m2 = Layout[Fc2];
            var scale = (float)Config.Scaling(Fc2);
            for (var t = 0; t < r; t++)
            {
                s.U2[t] = TensorPrimitives.Dot(adapter.AsSpan(m2.AOffset + (t * h), h), s.H);
            }

            for (var k = 0; k < Out; k++)
            {
                s.P[k] += scale * TensorPrimitives.Dot(adapter.AsSpan(m2.BOffset + (k * r), r), s.U2);
            }
        }

        TensorPrimitives.SoftMax(s.P, s.P);
    }

    private void Backward(float[]? adapter, ReadOnlyMemory<float> input, int label, Scratch s, float[][]? baseGrads, float[]? adapterGrads)
    {
        var x = input.Span;
        Forward(adapter, x, s);
        var h = Hidden;
        var r = Config.Rank;
        s.P.CopyTo(s.Dz2, 0);
        s.Dz2[label] -= 1f;
        Array.Clear(s.Dh);
        for (var k = 0; k < Out; k++)
        {
            TensorPrimitives.MultiplyAdd(_w2.AsSpan(k * h, h), s.Dz2[k], s.Dh, s.Dh);
        }

        if (adapter is not null && adapterGrads is not null)
        {
            var m2 = Layout[Fc2];
            var scale = (float)Config.Scaling(Fc2);
            Array.Clear(s.Du);
            for (var k = 0; k < Out; k++)
            {
                for (var t = 0; t < r; t++)
                {
                    adapterGrads[m2.BOffset + (k * r) + t] += scale * s.Dz2[k] * s.U2[t];
                    s.Du[t] += scale * adapter[m2.BOffset + (k * r) + t] * s.Dz2[k];
                }
            }

            for (var t = 0; t < r; t++)
            {
                var a = adapterGrads.AsSpan(m2.AOffset + (t * h), h);
                TensorPrimitives.MultiplyAdd(s.H, s.Du[t], a, a);
                TensorPrimitives.MultiplyAdd(adapter.AsSpan(m2.AOffset + (t * h), h), s.Du[t], s.Dh, s.Dh);
            }
        }

        for (var j = 0; j < h; j++)
        {
            s.Dh[j] = s.Z1[j] > 0 ? s.Dh[j] : 0f;
        }

        if (baseGrads is not null)
        {
            for (var k = 0; k < Out; k++)
            {
                var w = baseGrads[2].AsSpan(k * h, h);
                TensorPrimitives.MultiplyAdd(s.H, s.Dz2[k], w, w);
                baseGrads[3][k] += s.Dz2[k];
            }

            for (var j = 0; j < h; j++)
            {
                var w = baseGrads[0].AsSpan(j * In, In);
                TensorPrimitives.MultiplyAdd(x, s.Dh[j], w, w);
                baseGrads[1][j] += s.Dh[j];
            }
        }

        if (adapter is not null && adapterGrads is not null)
        {
            var m1 = Layout[Fc1];
            var scale = (float)Config.Scaling(Fc1);
            Array.Clear(s.Du);
            for (var j = 0; j < h; j++)
            {
                for (var t = 0; t < r; t++)
                {
                    adapterGrads[m1.BOffset + (j * r) + t] += scale * s.Dh[j] * s.U1[t];
                    s.Du[t] += scale * adapter[m1.BOffset + (j * r) + t] * s.Dh[j];
                }
            }

            for (var t = 0; t < r; t++)
            {
                var a = adapterGrads.AsSpan(m1.AOffset + (t * In), In);
                TensorPrimitives.MultiplyAdd(x, s.Du[t], a, a);
            }
        }
    }

    private static void Gaussian(Random random, Span<float> destination, double std)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            destination[i] = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }

    private sealed class Scratch(int hidden, int rank)
    {
        public float[] Z1 { get; } = new float[hidden];
        public float[] H { get; } = new float[hidden];
        public float[] Dh { get; } = new float[hidden];
        public float[] U1 { get; } = new float[rank];
        public float[] U2 { get; } = new float[rank];
        public float[] Du { get; } = new float[rank];
        public float[] P { get; } = new float[Out];
        public float[] Dz2 { get; } = new float[Out];
    }
}
