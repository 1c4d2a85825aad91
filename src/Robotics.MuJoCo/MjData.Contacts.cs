using Robotics.MuJoCo.Native;

namespace Robotics.MuJoCo;

public sealed partial class MjData
{
    /// <summary>Contact <paramref name="index"/> of the last collision pass, with its force.</summary>
    public unsafe MjContact GetContact(int index)
    {
        var count = ContactCount;
        if ((uint)index >= (uint)count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"there are {count} contacts");
        MjContact contact;
        NativeStatus.Check(NativeMethods.rmj_contact_get(Model.Handle, Handle, index, &contact));
        return contact;
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length contacts; returns how many were copied.</summary>
    public unsafe int GetContacts(Span<MjContact> destination)
    {
        var count = Math.Min(ContactCount, destination.Length);
        fixed (MjContact* p = destination)
            for (var i = 0; i < count; i++)
                NativeStatus.Check(NativeMethods.rmj_contact_get(Model.Handle, Handle, i, p + i));
        return count;
    }

    /// <summary>All current contacts, in a new array.</summary>
    public MjContact[] GetContacts()
    {
        var contacts = new MjContact[ContactCount];
        GetContacts(contacts);
        return contacts;
    }
}
