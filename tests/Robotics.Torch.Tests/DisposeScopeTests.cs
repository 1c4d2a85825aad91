using NUnit.Framework;
using static Robotics.Torch.torch;

namespace Robotics.Torch.Tests;

public class DisposeScopeTests
{
    [Test]
    public void ScopeFreesWhatWasCreatedInIt()
    {
        Tensor a, b;
        using (var scope = NewDisposeScope())
        {
            a = ones(2);
            b = a * 2;
            Assert.That(scope.Count, Is.EqualTo(2));
        }
        Assert.That(a.IsDisposed && b.IsDisposed);
    }

    [Test]
    public void MoveToOuterKeepsAResult()
    {
        using var outer = NewDisposeScope();
        Tensor kept, temp;
        using (var inner = NewDisposeScope())
        {
            temp = ones(2);
            kept = (temp + 1).MoveToOuterDisposeScope();
        }
        Assert.That(temp.IsDisposed);
        Assert.That(kept.IsDisposed, Is.False);
        Assert.That(kept.ToArray<float>(), Is.All.EqualTo(2f));
        Assert.That(outer.Count, Is.EqualTo(1));
        outer.Dispose();
        Assert.That(kept.IsDisposed, "the outer scope owns it now");
    }

    [Test]
    public void DetachedTensorsAreTheCallersAndExplicitDisposeUntracks()
    {
        Tensor free;
        using (var scope = NewDisposeScope())
        {
            free = ones(1).DetachFromDisposeScope();
            var t = ones(1);
            t.Dispose();
            Assert.That(scope.Count, Is.EqualTo(0));
        }
        Assert.That(free.IsDisposed, Is.False);
        free.Dispose();
    }

    [Test]
    public void NestedScopesUnwindEvenWhenAnInnerOneIsLeftOpen()
    {
        var outer = NewDisposeScope();
        var inner = NewDisposeScope();
        var t = ones(1);
        Assert.That(DisposeScope.Current, Is.SameAs(inner));
        outer.Dispose();
        Assert.That(t.IsDisposed, "closing the outer scope closes the one left open inside it");
        Assert.That(DisposeScope.Current, Is.Null);
        inner.Dispose();
    }

    [Test]
    public void ScopesArePerThread()
    {
        using var scope = NewDisposeScope();
        Tensor? made = null;
        var thread = new Thread(() => made = ones(1));
        thread.Start();
        thread.Join();
        Assert.That(scope.Count, Is.EqualTo(0), "another thread's tensors are not this scope's");
        made!.Dispose();
    }

    [Test]
    public void ParametersAreNeverScoped()
    {
        Parameter p;
        using (var scope = NewDisposeScope()) p = new Parameter(ones(2));
        Assert.That(p.IsDisposed, Is.False);
        p.Dispose();
    }
}
