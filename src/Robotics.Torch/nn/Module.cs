using System.Reflection;
using Robotics.Torch.Serialization;

namespace Robotics.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// PyTorch's <c>nn.Module</c>: named parameters, buffers and submodules, train/eval, device
        /// moves and state dicts. Parameters and submodules held in fields are registered under the
        /// field's name the first time the module is inspected (or by <see cref="RegisterComponents"/>);
        /// <see cref="register_parameter"/>, <see cref="register_buffer"/> and <see cref="register_module"/>
        /// register explicitly. Disposing a module frees its parameters, buffers and submodules.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly OrderedDictionary<string, Parameter?> parameters_ = new();
            private readonly OrderedDictionary<string, Tensor?> buffers_ = new();
            private readonly HashSet<string> nonPersistent = new();
            private readonly OrderedDictionary<string, Module> modules_ = new();
            private bool fieldsScanned;
            private bool disposed;

            /// <summary>True in training mode (the default); Dropout and friends read it.</summary>
            public bool training { get; private set; } = true;

            // ---- registration ----

            public void register_parameter(string name, Parameter? parameter)
            {
                CheckName(name);
                parameters_[name] = parameter;
            }

            /// <summary>A non-trainable tensor saved in the state dict (unless not <paramref name="persistent"/>) and moved with the module.
            /// The module takes ownership: it is removed from any dispose scope and freed with the module.</summary>
            public void register_buffer(string name, Tensor? buffer, bool persistent = true)
            {
                CheckName(name);
                buffer?.DetachFromDisposeScope();
                buffers_[name] = buffer;
                if (!persistent) nonPersistent.Add(name);
            }

            public void register_module(string name, Module module)
            {
                CheckName(name);
                modules_[name] = module;
            }

            private static void CheckName(string name)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.'))
                    throw new ArgumentException($"invalid name '{name}': must be non-empty and contain no '.'", nameof(name));
            }

            /// <summary>
            /// Registers the Parameter and Module fields of this object (base class fields first, in
            /// declaration order) that are not registered yet. Runs by itself on first inspection;
            /// call it again after assigning new fields later.
            /// </summary>
            public void RegisterComponents()
            {
                fieldsScanned = true;
                var types = new Stack<Type>();
                for (var t = GetType(); t is not null && t != typeof(Module); t = t.BaseType) types.Push(t);
                foreach (var type in types)
                {
                    foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        var value = f.GetValue(this);
                        var name = FieldName(f.Name);
                        if (value is Parameter p && !parameters_.Values.Contains(p) && !parameters_.ContainsKey(name)) parameters_[name] = p;
                        else if (value is Module m && m != this && !modules_.Values.Contains(m) && !modules_.ContainsKey(name)) modules_[name] = m;
                    }
                }
            }

            /// <summary>"&lt;fc1&gt;k__BackingField" (an auto-property) is registered as "fc1".</summary>
            private static string FieldName(string field) =>
                field.StartsWith('<') && field.IndexOf('>') is var end and > 0 ? field[1..end] : field;

            private void EnsureScanned()
            {
                if (!fieldsScanned) RegisterComponents();
            }

            // ---- inspection ----

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                EnsureScanned();
                foreach (var (n, p) in parameters_) if (p is not null) yield return (n, p);
                if (!recurse) yield break;
                foreach (var (prefix, m) in modules_)
                    foreach (var (n, p) in m.named_parameters()) yield return ($"{prefix}.{n}", p);
            }

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(x => x.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true) => Buffers(recurse, persistentOnly: false);

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(x => x.buffer);

            private IEnumerable<(string name, Tensor buffer)> Buffers(bool recurse, bool persistentOnly)
            {
                EnsureScanned();
                foreach (var (n, b) in buffers_)
                    if (b is not null && !(persistentOnly && nonPersistent.Contains(n))) yield return (n, b);
                if (!recurse) yield break;
                foreach (var (prefix, m) in modules_)
                    foreach (var (n, b) in m.Buffers(true, persistentOnly)) yield return ($"{prefix}.{n}", b);
            }

            public IEnumerable<(string name, Module module)> named_children()
            {
                EnsureScanned();
                foreach (var (n, m) in modules_) yield return (n, m);
            }

            public IEnumerable<Module> children() => named_children().Select(x => x.module);

            /// <summary>This module ("") and every descendant, depth first.</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (prefix, m) in named_children())
                    foreach (var (n, d) in m.named_modules()) yield return (n.Length == 0 ? prefix : $"{prefix}.{n}", d);
            }

            public IEnumerable<Module> modules() => named_modules().Select(x => x.module);

            /// <summary>Calls <paramref name="fn"/> on every submodule, then on this one (PyTorch's order).</summary>
            public Module apply(Action<Module> fn)
            {
                foreach (var m in children()) m.apply(fn);
                fn(this);
                return this;
            }

            // ---- modes and devices ----

            public virtual Module train(bool mode = true)
            {
                training = mode;
                foreach (var m in children()) m.train(mode);
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Moves every parameter and buffer in place (same objects, new data), as PyTorch does.</summary>
            public Module to(Device device) => Convert(t => t.to(device));

            /// <summary>Converts floating-point parameters and buffers to <paramref name="dtype"/>; integer ones are left alone.</summary>
            public Module to(ScalarType dtype) => Convert(t => t.dtype.IsFloatingPoint() ? t.to(dtype) : null);

            public Module cpu() => to(Device.CPU);
            public Module cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));
            public Module @double() => to(ScalarType.Float64);
            public Module @float() => to(ScalarType.Float32);

            private Module Convert(Func<Tensor, Tensor?> fn)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                foreach (var t in parameters().Cast<Tensor>().Concat(buffers()))
                {
                    if (fn(t) is not { } moved) continue;
                    t.set_data(moved);
                    if (t.grad is { } g && fn(g) is { } movedGrad) t.grad = movedGrad;
                }
                return this;
            }

            /// <summary>Clears (default) or zeroes every parameter's gradient.</summary>
            public void zero_grad(bool set_to_none = true) => optim.Optimizer.ZeroGrad(parameters().ToArray(), set_to_none);

            // ---- state ----

            /// <summary>
            /// Parameters and persistent buffers by dotted name ("fc1.weight"). The values are the
            /// module's own tensors, not copies: read or save them, don't dispose them.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                foreach (var (n, p) in named_parameters()) d[n] = p;
                foreach (var (n, b) in Buffers(true, persistentOnly: true)) d[n] = b;
                return d;
            }

            /// <summary>
            /// Copies values into this module's tensors (same shapes required). With <paramref name="strict"/>,
            /// missing or unexpected keys are an error; otherwise they are returned.
            /// </summary>
            public (IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) load_state_dict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
                var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                    throw new TorchException($"Error(s) in loading state_dict for {GetType().Name}: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", unexpected)}]");
                foreach (var (name, target) in own)
                {
                    if (!state.TryGetValue(name, out var source)) continue;
                    var (ts, ss) = (target.shape, source.shape);
                    if (!ts.SequenceEqual(ss))
                        throw new TorchException($"size mismatch for {name}: copying a param with shape [{string.Join(", ", ss)}], the shape in current model is [{string.Join(", ", ts)}]");
                }
                using (no_grad())
                    foreach (var (name, target) in own)
                        if (state.TryGetValue(name, out var source)) target.copy_(source);
                return (missing, unexpected);
            }

            /// <summary>Writes the state dict to a safetensors file (readable by Python's safetensors).</summary>
            public void save(string path, IReadOnlyDictionary<string, string>? metadata = null) => SafeTensors.Save(path, state_dict(), metadata);

            /// <summary>Loads a safetensors file written by <see cref="save"/> (or by Python) into this module.</summary>
            public Module load(string path, bool strict = true)
            {
                var (tensors, _) = SafeTensors.Load(path);
                try
                {
                    load_state_dict(tensors, strict);
                }
                finally
                {
                    foreach (var t in tensors.Values) t.Dispose();
                }
                return this;
            }

            // ---- lifetime ----

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            /// <summary>Frees parameters, buffers and submodules; override to free other native state.</summary>
            protected virtual void Dispose(bool disposing)
            {
                if (disposed || !disposing) return;
                disposed = true;
                EnsureScanned();
                foreach (var p in parameters_.Values) p?.Dispose();
                foreach (var b in buffers_.Values) b?.Dispose();
                foreach (var m in modules_.Values) m.Dispose();
            }

            public override string ToString() => GetType().Name;
        }

        /// <summary>A module with one input and one output; <see cref="call"/> runs <see cref="forward"/>.</summary>
        public abstract class Module<TInput, TOutput> : Module
        {
            public abstract TOutput forward(TInput input);

            public TOutput call(TInput input) => forward(input);
        }

        /// <summary>A module with two inputs.</summary>
        public abstract class Module<TInput1, TInput2, TOutput> : Module
        {
            public abstract TOutput forward(TInput1 input1, TInput2 input2);

            public TOutput call(TInput1 input1, TInput2 input2) => forward(input1, input2);
        }
    }
}
