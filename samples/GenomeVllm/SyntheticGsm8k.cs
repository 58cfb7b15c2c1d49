using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GenomeVllm;

/// <summary>
/// A synthetic, GSM8K-shaped data set: templated multi-step arithmetic word problems whose <c>answer</c> is a worked
/// solution in GSM8K's style (calculator annotations <c>&lt;&lt;a*b=c&gt;&gt;</c>) ending in <c>#### N</c>. It is not
/// GSM8K; it exists so that the sample runs without a download. Every record has a <c>split</c> field, so
/// <see cref="Genesis.Datasets.TaskDataset.Load"/> reads the file as it is.
/// </summary>
public static class SyntheticGsm8k
{
    /// <summary>The file shipped with the sample, relative to its folder (and to the build output).</summary>
    public const string ShippedFile = "data/gsm8k-synthetic.jsonl";

    /// <summary>The seed the shipped file was generated with.</summary>
    public const int ShippedSeed = 42;

    /// <summary>The split sizes of the shipped file: train, validation, test.</summary>
    public static readonly (int Train, int Validation, int Test) ShippedSizes = (100, 200, 200);

    private static readonly (string Name, bool She)[] People =
    [
        ("Maya", true), ("Liam", false), ("Sofia", true), ("Noah", false), ("Amara", true), ("Mateo", false),
        ("Hana", true), ("Oliver", false), ("Priya", true), ("Kofi", false), ("Elena", true), ("Jonas", false),
        ("Aisha", true), ("Diego", false), ("Ingrid", true), ("Tomas", false), ("Yuki", true), ("Samuel", false),
        ("Leila", true), ("Arjun", false), ("Nadia", true), ("Felix", false), ("Zoe", true), ("Omar", false),
    ];

    private static readonly (string One, string Many)[] Goods =
    [
        ("notebook", "notebooks"), ("pencil case", "pencil cases"), ("sandwich", "sandwiches"), ("toy car", "toy cars"),
        ("packet of seeds", "packets of seeds"), ("bottle of juice", "bottles of juice"), ("comic book", "comic books"),
        ("ball of yarn", "balls of yarn"), ("candle", "candles"), ("pair of socks", "pairs of socks"),
    ];

    private static readonly string[] Treats = ["cookies", "muffins", "cupcakes", "brownies", "pretzels", "dumplings"];

    private static readonly string[] Collections = ["marbles", "stickers", "stamps", "seashells", "trading cards", "beads"];

    private static readonly string[] Purchases = ["bicycle", "guitar", "tablet", "pair of skates", "camera", "desk"];

    private static readonly Func<Rng, Problem>[] Templates =
    [
        Change, Reading, Sharing, Wages, Farm, Sale, Collection, Buses, Trip, Garden,
    ];

    /// <summary>
    /// Generates the records (train first, then validation, then test), each question distinct from every other; the
    /// same arguments give the same records on every machine.
    /// </summary>
    /// <param name="seed">The seed.</param>
    /// <param name="train">Training records, at least 0.</param>
    /// <param name="validation">Validation records, at least 0.</param>
    /// <param name="test">Test records, at least 0.</param>
    /// <returns>One JSON object per line: <c>id</c>, <c>split</c>, <c>question</c>, <c>answer</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or above 100000.</exception>
    public static IReadOnlyList<string> Generate(int seed, int train, int validation, int test)
    {
        CheckCount(train, nameof(train));
        CheckCount(validation, nameof(validation));
        CheckCount(test, nameof(test));
        var rng = new Rng((ulong)(uint)seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = new List<string>(train + validation + test);
        var json = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        foreach (var (split, count) in new[] { ("train", train), ("validation", validation), ("test", test) })
        {
            for (var i = 0; i < count;)
            {
                var problem = Templates[rng.Below(Templates.Length)](rng);
                if (!seen.Add(problem.Question))
                {
                    continue;
                }

                var record = new JsonObject
                {
                    ["id"] = string.Create(CultureInfo.InvariantCulture, $"synthetic-{split}-{i:D4}"),
                    ["split"] = split,
                    ["question"] = problem.Question,
                    ["answer"] = string.Join('\n', problem.Steps) + "\n#### " + problem.Answer.ToString(CultureInfo.InvariantCulture),
                };
                lines.Add(record.ToJsonString(json));
                i++;
            }
        }

        return lines;
    }

    /// <summary>Writes <see cref="Generate"/>'s records to <paramref name="path"/> (UTF-8, one record a line, LF endings).</summary>
    /// <param name="path">The file; its folder is created if missing.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="train">Training records.</param>
    /// <param name="validation">Validation records.</param>
    /// <param name="test">Test records.</param>
    public static void Write(string path, int seed, int train, int validation, int test)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var text = new StringBuilder();
        foreach (var line in Generate(seed, train, validation, test))
        {
            text.Append(line).Append('\n');
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static void CheckCount(int count, string name)
    {
        if (count is < 0 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(name, count, $"SyntheticGsm8k.Generate: {name} must be between 0 and 100000, was {count}.");
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Calc(string expression, long result) => $"{expression} = <<{expression.Replace(" ", string.Empty, StringComparison.Ordinal)}={N(result)}>>{N(result)}";

    private static (string Name, string He, string His) Person(Rng rng, params string[] not)
    {
        while (true)
        {
            var (name, she) = People[rng.Below(People.Length)];
            if (!not.Contains(name))
            {
                return (name, she ? "she" : "he", she ? "her" : "his");
            }
        }
    }

    private static string Cap(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static Problem Change(Rng rng)
    {
        var (name, he, _) = Person(rng);
        var first = Goods[rng.Below(Goods.Length)];
        var second = Goods[rng.Below(Goods.Length)];
        while (second == first)
        {
            second = Goods[rng.Below(Goods.Length)];
        }

        long a = rng.Range(2, 9), p = rng.Range(2, 15), b = rng.Range(2, 9), q = rng.Range(1, 12);
        long c1 = a * p, c2 = b * q, total = c1 + c2;
        long bill = total < 50 ? 50 : total < 100 ? 100 : 200;
        return new Problem(
            $"{name} buys {N(a)} {first.Many} for ${N(p)} each and {N(b)} {second.Many} for ${N(q)} each. {Cap(he)} pays with a ${N(bill)} bill. How much change does {he} get back?",
            [
                $"The {first.Many} cost {Calc($"{N(a)} * {N(p)}", c1)} dollars.",
                $"The {second.Many} cost {Calc($"{N(b)} * {N(q)}", c2)} dollars.",
                $"Together they cost {Calc($"{N(c1)} + {N(c2)}", total)} dollars.",
                $"So {name} gets back {Calc($"{N(bill)} - {N(total)}", bill - total)} dollars.",
            ],
            bill - total);
    }

    private static Problem Reading(Rng rng)
    {
        var (name, he, _) = Person(rng);
        long a = rng.Range(8, 30), d = rng.Range(2, 7), b = rng.Range(10, 40), e = rng.Range(2, 5);
        long first = a * d, second = b * e, read = first + second;
        var pages = ((read / 50) + rng.Range(1, 4)) * 50;
        return new Problem(
            $"{name} is reading a {N(pages)}-page book. {Cap(he)} reads {N(a)} pages a day for {N(d)} days, then {N(b)} pages a day for the next {N(e)} days. How many pages does {he} still have to read?",
            [
                $"In the first {N(d)} days {he} reads {Calc($"{N(a)} * {N(d)}", first)} pages.",
                $"In the next {N(e)} days {he} reads {Calc($"{N(b)} * {N(e)}", second)} pages.",
                $"That is {Calc($"{N(first)} + {N(second)}", read)} pages in all.",
                $"So {he} still has {Calc($"{N(pages)} - {N(read)}", pages - read)} pages to read.",
            ],
            pages - read);
    }

    private static Problem Sharing(Rng rng)
    {
        var (name, he, _) = Person(rng);
        var treat = Treats[rng.Below(Treats.Length)];
        long boxes = rng.Range(3, 9), per = rng.Range(6, 13), neighbours = rng.Range(2, 6);
        var total = boxes * per;
        var each = rng.Range(2, Math.Max(3, (total / 2 / neighbours) + 1));
        var given = each * neighbours;
        var eaten = rng.Range(1, Math.Max(2, Math.Min(6, total - given)));
        var left = total - given - eaten;
        return new Problem(
            $"{name} baked {N(boxes)} trays of {N(per)} {treat}. {Cap(he)} gave {N(each)} {treat} to each of {N(neighbours)} neighbours and ate {N(eaten)}. How many {treat} are left?",
            [
                $"{name} baked {Calc($"{N(boxes)} * {N(per)}", total)} {treat}.",
                $"{Cap(he)} gave away {Calc($"{N(each)} * {N(neighbours)}", given)} {treat}.",
                $"After eating {N(eaten)}, {Calc($"{N(total)} - {N(given)} - {N(eaten)}", left)} {treat} are left.",
            ],
            left);
    }

    private static Problem Wages(Rng rng)
    {
        var (name, he, his) = Person(rng);
        var thing = Purchases[rng.Below(Purchases.Length)];
        long wage = rng.Range(9, 26), hours = rng.Range(5, 21), weeks = rng.Range(2, 7);
        long weekly = wage * hours, earned = weekly * weeks;
        var spent = rng.Range(earned / 4, (earned * 3 / 4) + 1);
        return new Problem(
            $"{name} earns ${N(wage)} an hour and works {N(hours)} hours a week. After {N(weeks)} weeks {he} spends ${N(spent)} of {his} earnings on a {thing}. How many dollars does {he} have left?",
            [
                $"Each week {he} earns {Calc($"{N(wage)} * {N(hours)}", weekly)} dollars.",
                $"In {N(weeks)} weeks {he} earns {Calc($"{N(weekly)} * {N(weeks)}", earned)} dollars.",
                $"After buying the {thing} {he} has {Calc($"{N(earned)} - {N(spent)}", earned - spent)} dollars left.",
            ],
            earned - spent);
    }

    private static Problem Farm(Rng rng)
    {
        var animals = rng.Range(2, 21) * 12;
        var firstHalf = rng.Below(2) == 0;
        var (part, partName) = firstHalf ? (animals / 2, "Half") : (animals / 4, "A quarter");
        var rest = animals - part;
        var thirdRest = rest / 3;
        var cows = rest - thirdRest;
        return new Problem(
            $"A farm has {N(animals)} animals. {partName} of them are chickens, a third of the rest are goats, and the others are cows. How many cows are on the farm?",
            [
                $"There are {Calc($"{N(animals)} / {(firstHalf ? "2" : "4")}", part)} chickens.",
                $"That leaves {Calc($"{N(animals)} - {N(part)}", rest)} animals.",
                $"A third of them, {Calc($"{N(rest)} / 3", thirdRest)}, are goats.",
                $"So there are {Calc($"{N(rest)} - {N(thirdRest)}", cows)} cows.",
            ],
            cows);
    }

    private static Problem Sale(Rng rng)
    {
        var good = Goods[rng.Below(Goods.Length)];
        var price = rng.Range(1, 11) * 20;
        long[] percents = [10, 20, 25, 50];
        var percent = percents[rng.Below(percents.Length)];
        var count = rng.Range(2, 8);
        var discount = price * percent / 100;
        var salePrice = price - discount;
        var total = salePrice * count;
        return new Problem(
            $"A {good.One} costs ${N(price)}. During a sale everything is {N(percent)}% off. How much do {N(count)} {good.Many} cost during the sale?",
            [
                $"The discount is {Calc($"{N(price)} * {N(percent)} / 100", discount)} dollars.",
                $"So one {good.One} costs {Calc($"{N(price)} - {N(discount)}", salePrice)} dollars.",
                $"{N(count)} of them cost {Calc($"{N(salePrice)} * {N(count)}", total)} dollars.",
            ],
            total);
    }

    private static Problem Collection(Rng rng)
    {
        var (a, _, _) = Person(rng);
        var (b, _, _) = Person(rng, a);
        var (c, _, _) = Person(rng, a, b);
        var thing = Collections[rng.Below(Collections.Length)];
        long x = rng.Range(5, 40), times = rng.Range(2, 5);
        var bCount = x * times;
        var fewer = rng.Range(1, bCount - 1);
        var cCount = bCount - fewer;
        var sum = x + bCount;
        var total = sum + cCount;
        return new Problem(
            $"{a} has {N(x)} {thing}. {b} has {N(times)} times as many {thing} as {a}, and {c} has {N(fewer)} fewer {thing} than {b}. How many {thing} do the three of them have together?",
            [
                $"{b} has {Calc($"{N(x)} * {N(times)}", bCount)} {thing}.",
                $"{c} has {Calc($"{N(bCount)} - {N(fewer)}", cCount)} {thing}.",
                $"Together they have {Calc($"{N(x)} + {N(bCount)} + {N(cCount)}", total)} {thing}.",
            ],
            total);
    }

    private static Problem Buses(Rng rng)
    {
        long capacity = rng.Range(20, 51), students = rng.Range(60, 400), rent = rng.Range(80, 301);
        var full = students / capacity;
        var extra = students % capacity;
        var buses = full + (extra > 0 ? 1 : 0);
        var cost = buses * rent;
        string[] steps = extra > 0
            ?
            [
                $"{N(students)} / {N(capacity)} is {N(full)} with {N(extra)} students left over, so they need {Calc($"{N(full)} + 1", buses)} buses.",
                $"Renting them costs {Calc($"{N(buses)} * {N(rent)}", cost)} dollars.",
            ]
            :
            [
                $"They need {Calc($"{N(students)} / {N(capacity)}", buses)} buses.",
                $"Renting them costs {Calc($"{N(buses)} * {N(rent)}", cost)} dollars.",
            ];
        return new Problem(
            $"{N(students)} students are going on a field trip. Each bus holds {N(capacity)} students and costs ${N(rent)} to rent. How many dollars does it cost to rent enough buses?",
            steps,
            cost);
    }

    private static Problem Trip(Rng rng)
    {
        var (name, he, _) = Person(rng);
        long speed = rng.Range(4, 15) * 5, hours = rng.Range(2, 6), more = rng.Range(10, 120), back = rng.Range(5, 60);
        var first = speed * hours;
        var total = first + more + back;
        return new Problem(
            $"{name} drives at {N(speed)} miles per hour for {N(hours)} hours, then drives {N(more)} more miles to a lake and {N(back)} miles to a campsite. How many miles does {he} drive in total?",
            [
                $"In {N(hours)} hours {he} drives {Calc($"{N(speed)} * {N(hours)}", first)} miles.",
                $"Altogether {he} drives {Calc($"{N(first)} + {N(more)} + {N(back)}", total)} miles.",
            ],
            total);
    }

    private static Problem Garden(Rng rng)
    {
        var (name, he, his) = Person(rng);
        long rows = rng.Range(3, 13), perRow = rng.Range(4, 16), dead = rng.Range(1, 10), tomatoes = rng.Range(2, 9);
        var plants = rows * perRow;
        var alive = plants - dead;
        var harvest = alive * tomatoes;
        return new Problem(
            $"{name} plants {N(rows)} rows of tomato plants with {N(perRow)} plants in each row. {N(dead)} plants die, and each of the others gives {N(tomatoes)} tomatoes. How many tomatoes does {name} pick from {his} garden?",
            [
                $"{Cap(he)} plants {Calc($"{N(rows)} * {N(perRow)}", plants)} plants.",
                $"{Calc($"{N(plants)} - {N(dead)}", alive)} plants survive.",
                $"They give {Calc($"{N(alive)} * {N(tomatoes)}", harvest)} tomatoes.",
            ],
            harvest);
    }

    private sealed record Problem(string Question, IReadOnlyList<string> Steps, long Answer);

    /// <summary>SplitMix64: a tiny generator whose output depends only on its seed, on every platform and runtime.</summary>
    private sealed class Rng(ulong seed)
    {
        private ulong _state = seed;

        public int Below(int n) => (int)(Next() % (ulong)n);

        /// <summary>A number in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
        public long Range(long min, long maxExclusive) => min + (long)(Next() % (ulong)(maxExclusive - min));

        private ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
