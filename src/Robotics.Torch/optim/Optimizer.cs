using Robotics.Torch.Native;
using Robotics.Torch.Serialization;

namespace Robotics.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// A set of parameters sharing hyperparameters. Schedulers change <see cref="lr"/>;
        /// <see cref="initial_lr"/> remembers where they started.
        /// </summary>
        public sealed class ParamGroup
        {
            public ParamGroup(IEnumerable<Parameter> parameters, double? lr = null)
            {
                items = parameters.ToArray();
                if (lr is not null) this.lr = lr.Value;
            }

            /// <summary>The parameters as an array, for the native calls that take handle lists.</summary>
            internal readonly Parameter[] items;

            public IReadOnlyList<Parameter> parameters => items;
            public double lr { get; set; } = double.NaN;
            public double initial_lr { get; set; } = double.NaN;
        }

        /// <summary>
        /// Base of the optimizers: parameter groups, <see cref="zero_grad"/>, and state as plain
        /// tensors owned here (so <see cref="state_dict"/> is a dictionary of tensors and saving is
        /// the same as saving a module). Each step updates a whole group in one native call.
        /// </summary>
        public abstract class Optimizer : IDisposable
        {
            private readonly ParamGroup[] groups;
            private bool disposed;

            protected Optimizer(IEnumerable<ParamGroup> groups, double lr)
            {
                this.groups = groups.ToArray();
                if (this.groups.Length == 0 || this.groups.All(g => g.parameters.Count == 0))
                    throw new ArgumentException("optimizer got an empty parameter list");
                var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
                foreach (var g in this.groups)
                {
                    if (double.IsNaN(g.lr)) g.lr = lr;
                    if (double.IsNaN(g.initial_lr)) g.initial_lr = g.lr;
                    if (g.lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), g.lr, "Invalid learning rate");
                    foreach (var p in g.parameters)
                        if (!seen.Add(p)) throw new ArgumentException("some parameters appear in more than one parameter group");
                }
            }

            public IReadOnlyList<ParamGroup> param_groups => groups;

            /// <summary>Every parameter, in group order; state is keyed by this index (as PyTorch's state_dict).</summary>
            protected IEnumerable<Parameter> AllParameters => groups.SelectMany(g => g.parameters);

            public abstract void step();

            /// <summary>Clears (default, as PyTorch 2) or zeroes every gradient, one native call per group.</summary>
            public void zero_grad(bool set_to_none = true)
            {
                foreach (var g in groups) ZeroGrad(g.items, set_to_none);
            }

            internal static unsafe void ZeroGrad(Parameter[] arr, bool set_to_none)
            {
                Span<IntPtr> buf = arr.Length <= 64 ? stackalloc IntPtr[arr.Length] : new IntPtr[arr.Length];
                using var list = new HandleList(arr, buf);
                fixed (IntPtr* p = list) TorchException.Check(NativeMethods.Optim_zero_grad(p, list.Length, set_to_none ? (byte)1 : (byte)0));
            }

            // ---- state ----

            /// <summary>
            /// Everything needed to resume: per-parameter state as "state.{i}.{name}" tensors and each
            /// group's hyperparameters as "param_groups.{g}.{name}" float64 scalars. The state tensors
            /// are the optimizer's own (don't dispose them); the scalars are new, tracked by the current scope.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                int count = AllParameters.Count();
                for (int index = 0; index < count; index++)
                    foreach (var (name, t) in ParameterState(index)) d[$"state.{index}.{name}"] = t;
                for (int g = 0; g < groups.Length; g++)
                    foreach (var (name, value) in Hyperparameters(groups[g]))
                        d[$"param_groups.{g}.{name}"] = tensor(value);
                return d;
            }

            /// <summary>Restores what <see cref="state_dict"/> produced (copied: the dictionary stays the caller's).</summary>
            public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
            {
                int count = AllParameters.Count();
                foreach (var key in state.Keys)
                {
                    var parts = key.Split('.');
                    if (parts.Length != 3 || (parts[0] != "state" && parts[0] != "param_groups") || !int.TryParse(parts[1], out var i) || i < 0 ||
                        i >= (parts[0] == "state" ? count : groups.Length))
                        throw new TorchException($"optimizer state_dict has an unexpected key '{key}' (this optimizer has {count} parameters in {groups.Length} groups)");
                }
                for (int g = 0; g < groups.Length; g++)
                {
                    var values = new Dictionary<string, double>();
                    foreach (var (name, _) in Hyperparameters(groups[g]))
                        if (state.TryGetValue($"param_groups.{g}.{name}", out var t)) values[name] = t.item<double>();
                    SetHyperparameters(groups[g], values);
                }
                for (int index = 0; index < count; index++)
                {
                    var prefix = $"state.{index}.";
                    var entries = state.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                                       .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
                    LoadParameterState(index, entries);
                }
            }

            public void save(string path)
            {
                using var scope = NewDisposeScope();
                SafeTensors.Save(path, state_dict(), new Dictionary<string, string> { ["format"] = "robotics.optim", ["type"] = GetType().Name });
            }

            public void load(string path)
            {
                var (tensors, _) = SafeTensors.Load(path);
                try
                {
                    load_state_dict(tensors);
                }
                finally
                {
                    foreach (var t in tensors.Values) t.Dispose();
                }
            }

            /// <summary>The named state tensors of parameter <paramref name="index"/> (none before its first step).</summary>
            protected abstract IEnumerable<(string name, Tensor value)> ParameterState(int index);

            /// <summary>Replaces parameter <paramref name="index"/>'s state (empty: back to "never stepped").</summary>
            protected abstract void LoadParameterState(int index, IReadOnlyDictionary<string, Tensor> state);

            protected virtual IEnumerable<(string name, double value)> Hyperparameters(ParamGroup group)
            {
                yield return ("lr", group.lr);
                yield return ("initial_lr", group.initial_lr);
            }

            protected virtual void SetHyperparameters(ParamGroup group, IReadOnlyDictionary<string, double> values)
            {
                if (values.TryGetValue("lr", out var lr)) group.lr = lr;
                if (values.TryGetValue("initial_lr", out var lr0)) group.initial_lr = lr0;
            }

            /// <summary>A copy of <paramref name="source"/> owned by the optimizer, on <paramref name="like"/>'s device and dtype.</summary>
            protected static Tensor OwnedCopy(Tensor source, Tensor like)
            {
                using var _ = no_grad();
                return source.to(like.dtype, like.device, copy: true).DetachFromDisposeScope();
            }

            public void Dispose()
            {
                if (disposed) return;
                disposed = true;
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            /// <summary>Frees the state tensors.</summary>
            protected abstract void Dispose(bool disposing);
        }
    }
}
