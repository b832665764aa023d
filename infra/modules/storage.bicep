// The pipeline's storage account (docs/design.md §3 names) and the Flex Consumption deployment container.
// Shared key off, no public blob access, TLS 1.2, HTTPS only: every client uses its managed identity.
param location string
param name string
param tags object
param appPrincipalId string
@description('Principal id of whoever runs the deployment (azd sets AZURE_PRINCIPAL_ID); empty: none.')
param deployerPrincipalId string = ''
@description('Principal id of the ops engineers who run cartlab against this account; empty: none.')
param opsPrincipalId string = ''
@allowed(['User', 'Group', 'ServicePrincipal'])
param opsPrincipalType string = 'Group'
param containers array
param queues array
param tables array
param deploymentContainer string

var blobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var appRoles = [blobDataOwner, queueDataContributor, tableDataContributor]
// Ops read and repair the pipeline's data with cartlab (replay, redeliver, status): data roles only, no control plane.
var opsRoles = [blobDataContributor, queueDataContributor, tableDataContributor]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
    accessTier: 'Hot'
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 7 }
    containerDeleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for c in concat(containers, [deploymentContainer]): {
  parent: blobs
  name: c
  properties: { publicAccess: 'None' }
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queueResources 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for q in queues: {
  parent: queueService
  name: q
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tableResources 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for t in tables: {
  parent: tableService
  name: t
}]

resource appRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in appRoles: {
  name: guid(account.id, appPrincipalId, role)
  scope: account
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

// The person or pipeline running `azd deploy` uploads the package into the deployment container.
resource deployerBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(account.id, deployerPrincipalId, blobDataOwner)
  scope: account
  properties: {
    principalId: deployerPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataOwner)
  }
}

resource opsRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in opsRoles: if (!empty(opsPrincipalId)) {
  name: guid(account.id, opsPrincipalId, role)
  scope: account
  properties: {
    principalId: opsPrincipalId
    principalType: opsPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
