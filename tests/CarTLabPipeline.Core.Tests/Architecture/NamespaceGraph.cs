using System.Reflection;
using System.Reflection.Emit;

namespace CarTLabPipeline.Core.Tests.Architecture;

/// <summary>
/// Which of our namespaces each namespace of an assembly uses, read from the compiled code: signatures (base types,
/// interfaces, fields, properties, parameters, attributes) and every type, method and field token in the method bodies'
/// IL. Nested and compiler-generated types (lambdas, async state machines) count for the namespace that declares them.
/// </summary>
internal static class NamespaceGraph
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> s_opCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Edges namespace → namespaces it uses, restricted to namespaces starting with <paramref name="prefix"/>.</summary>
    public static Dictionary<string, SortedSet<string>> Of(Assembly assembly, string prefix) =>
        Evidence(assembly, prefix).ToDictionary(
            n => n.Key,
            n => new SortedSet<string>(n.Value.Keys, StringComparer.Ordinal),
            StringComparer.Ordinal);

    /// <summary>For each edge, the types that make it ("Outer uses Used"), to say which type to move.</summary>
    public static Dictionary<string, SortedDictionary<string, SortedSet<string>>> Evidence(Assembly assembly, string prefix)
    {
        var graph = new Dictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            var from = type.Namespace;
            if (from is null || !from.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var outerName = Outer(type).Name;
            var edges = graph.TryGetValue(from, out var set) ? set : graph[from] = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var used in UsedTypes(type))
            {
                foreach (var (ns, name) in Namespaces(used))
                {
                    if (ns != from && ns.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        (edges.TryGetValue(ns, out var why) ? why : edges[ns] = new SortedSet<string>(StringComparer.Ordinal)).Add($"{outerName} uses {name}");
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>The strongly connected components with more than one namespace: each is a cycle.</summary>
    public static List<List<string>> Cycles(Dictionary<string, SortedSet<string>> graph)
    {
        // Tarjan's algorithm.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();
        var next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.TryGetValue(v, out var e) ? e : [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    components.Add(component);
                }
            }
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return components;
    }

    private static Type Outer(Type type)
    {
        while (type.DeclaringType is { } declaring)
        {
            type = declaring;
        }

        return type;
    }

    private static IEnumerable<(string Namespace, string Type)> Namespaces(Type type)
    {
        if (type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var used in Namespaces(type.GetElementType()!))
            {
                yield return used;
            }

            yield break;
        }

        var outer = Outer(type);
        if (outer.Namespace is { } own)
        {
            yield return (own, outer.Name);
        }

        if (type.IsConstructedGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                foreach (var used in Namespaces(argument))
                {
                    yield return used;
                }
            }
        }
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var i in type.GetInterfaces())
        {
            yield return i;
        }

        foreach (var a in type.CustomAttributes)
        {
            yield return a.AttributeType;
        }

        foreach (var field in type.GetFields(All))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(All))
        {
            yield return property.PropertyType;
        }

        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo m)
            {
                yield return m.ReturnType;
            }

            foreach (var p in method.GetParameters())
            {
                yield return p.ParameterType;
            }

            foreach (var used in BodyTypes(method))
            {
                yield return used;
            }
        }
    }

    /// <summary>The types a method body names: every token operand of its IL, resolved in the method's generic context.</summary>
    private static IEnumerable<Type> BodyTypes(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            var code = il[position] == 0xFE ? s_opCodesByValue[unchecked((short)(0xFE00 | il[position + 1]))] : s_opCodesByValue[il[position]];
            position += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, position);
                    position += 4;
                    var member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                    switch (member)
                    {
                        case Type t:
                            yield return t;
                            break;
                        case FieldInfo f:
                            yield return f.DeclaringType!;
                            yield return f.FieldType;
                            break;
                        case MethodBase m:
                            yield return m.DeclaringType!;
                            if (m is MethodInfo { IsGenericMethod: true } generic)
                            {
                                foreach (var a in generic.GetGenericArguments())
                                {
                                    yield return a;
                                }
                            }

                            break;
                    }

                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, position);
                    position += 4 + (4 * count);
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    position += 4;
                    break;
            }
        }
    }
}
