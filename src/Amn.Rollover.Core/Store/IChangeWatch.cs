using System;

namespace Amn.Rollover.Core.Store
{
    /// <summary>Tells whether any other session committed a change to a tenant since the watch began.</summary>
    internal interface IChangeWatch : IDisposable
    {
        bool ChangedSinceStart();
    }
}
