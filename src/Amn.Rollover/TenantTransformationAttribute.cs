using System;
using System.IO;
using System.Management.Automation;
using Amn.Rollover.Core;
using Amn.Rollover.Core.Store;

namespace Amn.Rollover
{
    /// <summary>Lets -Tenant take a store, a tenant object from Connect-AmnTenant/Get-AmnTenant, or the path of a store file.</summary>
    internal sealed class TenantTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null: return null;
                case TenantStore store: return store;
                case TenantInfo info: return info.GetStore() ?? Open(info.Path);
                case FileInfo file: return Open(file.FullName);
                case string path:
                    var resolved = engineIntrinsics.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                    return Open(resolved);
                default:
                    throw new ArgumentTransformationMetadataException(Messages.Format("NotATenant", value.GetType().Name));
            }
        }

        private static TenantStore Open(string path)
        {
            try
            {
                return TenantStore.OpenExisting(path);
            }
            catch (AmnException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }
    }
}
