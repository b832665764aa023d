// Key Vault with RBAC authorization, holding the SendGrid API key the app reads through a Key Vault reference.
param location string
param name string
param tags object
param appPrincipalId string
@secure()
@description('SendGrid API key; empty: load it later with `az keyvault secret set` (docs/deploy.md).')
param sendGridApiKey string = ''

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretName = 'SendGridApiKey'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(sendGridApiKey)) {
  parent: vault
  name: secretName
  properties: {
    value: sendGridApiKey
    contentType: 'SendGrid API key'
  }
}

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, secretsUser)
  scope: vault
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

output name string = vault.name
output sendGridSecretUri string = '${vault.properties.vaultUri}secrets/${secretName}'
