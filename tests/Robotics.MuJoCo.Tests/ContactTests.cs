using NUnit.Framework;

namespace Robotics.MuJoCo.Tests;

public class ContactTests
{
    [Test]
    public void Box_resting_on_the_floor_has_contacts_carrying_its_weight()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        TestModels.Settle(data);

        var contacts = data.GetContacts();
        var floor = model.GetId(MjObject.Geom, "floor");
        var box = model.GetId(MjObject.Geom, "box_geom");

        Assert.That(contacts, Has.Length.EqualTo(data.ContactCount).And.Length.GreaterThanOrEqualTo(1));
        foreach (var c in contacts)
        {
            Assert.That((c.Geom1, c.Geom2), Is.EqualTo((floor, box)));
            Assert.That(c.Position[2], Is.EqualTo(0).Within(2e-3), "contact points lie on the floor");
            Assert.That(c.Normal.Z, Is.EqualTo(1).Within(1e-9), "normal points up, floor to box");
            Assert.That(c.Distance, Is.LessThanOrEqualTo(1e-3));
        }
        var weight = model.BodyMass[1] * 9.81;
        Assert.That(contacts.Sum(c => c.NormalForce), Is.EqualTo(weight).Within(0.02 * weight));
    }

    [Test]
    public void Contact_queries_check_their_index_and_buffers()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        TestModels.Settle(data);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.GetContact(data.ContactCount));

        Span<MjContact> one = stackalloc MjContact[1];
        Assert.That(data.GetContacts(one), Is.EqualTo(1));
        Assert.That(one[0].Geom2, Is.EqualTo(data.GetContact(0).Geom2));
    }

    [Test]
    public void A_box_in_the_air_touches_nothing()
    {
        using var model = TestModels.Box();
        using var data = model.MakeData();
        data.ResetKeyframe("raised");
        data.Forward();
        Assert.That(data.ContactCount, Is.Zero);
        Assert.That(data.GetContacts(), Is.Empty);
    }
}
