using System.Reflection;
using System.Text;

namespace Genesis.Execution;

/// <summary>
/// Binds a delegate of the task's type to a static method of a compiled candidate, named like <c>Candidate.Sort</c>
/// (a type, with or without its namespace, and a method), and explains in C# terms what is missing when it cannot.
/// </summary>
internal static class EntryPointBinder
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void",
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte",
        [typeof(char)] = "char",
        [typeof(short)] = "short",
        [typeof(ushort)] = "ushort",
        [typeof(int)] = "int",
        [typeof(uint)] = "uint",
        [typeof(long)] = "long",
        [typeof(ulong)] = "ulong",
        [typeof(nint)] = "nint",
        [typeof(nuint)] = "nuint",
        [typeof(float)] = "float",
        [typeof(double)] = "double",
        [typeof(decimal)] = "decimal",
        [typeof(string)] = "string",
        [typeof(object)] = "object",
    };

    /// <summary>Splits <paramref name="entryPoint"/> into its type and method names, or throws naming the parameter.</summary>
    /// <exception cref="ArgumentException">The name is not of the form <c>Type.Method</c>.</exception>
    public static (string TypeName, string MethodName) Parse(string entryPoint)
    {
        ArgumentNullException.ThrowIfNull(entryPoint);
        var dot = entryPoint.LastIndexOf('.');
        if (dot <= 0 || dot == entryPoint.Length - 1 || entryPoint.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException(
                $"CSharpInProcess: entryPoint must name a type and its static method, such as \"Candidate.Score\", was \"{entryPoint}\".",
                nameof(entryPoint));
        }

        return (entryPoint[..dot], entryPoint[(dot + 1)..]);
    }

    /// <summary>The method a <typeparamref name="TEntry"/> delegate stands for, in C#: <c>int[] Sort(int[], Comparison&lt;int&gt;)</c>.</summary>
    public static string Signature<TEntry>(string methodName)
        where TEntry : Delegate
    {
        var invoke = typeof(TEntry).GetMethod("Invoke")!;
        return $"{Name(invoke.ReturnType)} {methodName}({string.Join(", ", invoke.GetParameters().Select(p => Name(p.ParameterType)))})";
    }

    /// <summary>
    /// Binds a <typeparamref name="TEntry"/> to <paramref name="typeName"/>.<paramref name="methodName"/> in
    /// <paramref name="assembly"/>, public or not.
    /// </summary>
    /// <returns>The delegate, or <see langword="null"/> with <paramref name="problem"/> saying, for the LLM, what is missing.</returns>
    public static TEntry? Bind<TEntry>(Assembly assembly, string typeName, string methodName, out string problem)
        where TEntry : Delegate
    {
        var expected = $"The program must define a static method {Signature<TEntry>(methodName)} in a class {typeName}";
        var type = FindType(assembly, typeName);
        if (type is null)
        {
            problem = $"{expected}; no class {typeName} was found.";
            return null;
        }

        var methods = type
            .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => string.Equals(m.Name, methodName, StringComparison.Ordinal) && !m.IsGenericMethodDefinition)
            .ToList();
        foreach (var method in methods)
        {
            if (Delegate.CreateDelegate(typeof(TEntry), method, throwOnBindFailure: false) is TEntry entry)
            {
                problem = string.Empty;
                return entry;
            }
        }

        problem = methods.Count == 0
            ? $"{expected}; {typeName} has no static method {methodName}."
            : $"{expected}; found {string.Join(" and ", methods.Select(Describe))} instead.";
        return null;
    }

    /// <summary>A type's name as C# writes it, without namespaces: <c>int[]</c>, <c>List&lt;string&gt;</c>, <c>double?</c>.</summary>
    public static string Name(Type type)
    {
        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword;
        }

        if (type.IsByRef)
        {
            return "ref " + Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return $"{Name(type.GetElementType()!)}[{new string(',', type.GetArrayRank() - 1)}]";
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        var name = new StringBuilder();
        if (type.IsNested && !type.IsGenericParameter)
        {
            name.Append(Name(type.DeclaringType!)).Append('.');
        }

        var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        name.Append(tick < 0 ? type.Name : type.Name[..tick]);
        if (type.IsGenericType)
        {
            var arguments = type.GetGenericArguments();
            var own = type.IsNested ? arguments.Skip(type.DeclaringType!.GetGenericArguments().Length) : arguments;
            if (own.Any())
            {
                name.Append('<').AppendJoin(", ", own.Select(Name)).Append('>');
            }
        }

        return name.ToString();
    }

    private static string Describe(MethodInfo method) =>
        $"{Name(method.ReturnType)} {method.Name}({string.Join(", ", method.GetParameters().Select(p => Name(p.ParameterType)))})";

    private static Type? FindType(Assembly assembly, string typeName)
    {
        if (assembly.GetType(typeName, throwOnError: false) is { } exact)
        {
            return exact;
        }

        // "Candidate" also finds a class Candidate inside a namespace the program chose, when there is only one.
        if (!typeName.Contains('.', StringComparison.Ordinal))
        {
            var matches = assembly.GetTypes().Where(t => !t.IsNested && string.Equals(t.Name, typeName, StringComparison.Ordinal)).Take(2).ToList();
            if (matches.Count == 1)
            {
                return matches[0];
            }
        }

        return null;
    }
}
