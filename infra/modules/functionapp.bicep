// Flex Consumption plan and function app (.NET 10 isolated), running as the user-assigned identity: identity-based
// connections to storage and Service Bus, the deployment package read with the identity, the SendGrid key as a Key Vault
// reference resolved with the identity. No secret value in any app setting.
param location string
param name string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainer string
param serviceBusNamespace string
param appInsightsConnectionString string
param sendGridSecretUri string
param emailFrom string
param emailOnCall string
param emailOps string
param emailDetail string
param publicBaseUrl string
@description('Client id of the Entra ID app registration users sign in with (App Service authentication); empty: no sign-in, and every route but /api/health answers 401.')
param authClientId string = ''
param authTenantId string = tenant().tenantId
param defaultTimeZone string
param maximumInstanceCount int
param instanceMemoryMB int
@description('Subnet for VNet integration; empty: none.')
param subnetId string = ''

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: queueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'ServiceBus__fullyQualifiedNamespace', value: serviceBusNamespace }
        { name: 'ServiceBus__credential', value: 'managedidentity' }
        { name: 'ServiceBus__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        { name: 'Email__Provider', value: 'SendGrid' }
        { name: 'Email__From', value: emailFrom }
        { name: 'Email__OnCall', value: emailOnCall }
        { name: 'Email__Ops', value: emailOps }
        { name: 'Email__Detail', value: emailDetail }
        { name: 'Email__PublicBaseUrl', value: publicBaseUrl }
        { name: 'SendGrid__ApiKey', value: '@Microsoft.KeyVault(SecretUri=${sendGridSecretUri})' }
        { name: 'Ingestion__DefaultTimeZone', value: defaultTimeZone }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName

// Sign-in (docs/deploy.md): App Service built-in authentication with Entra ID in front of every route but /api/health.
// The platform validates the token and passes the user to the app in X-MS-CLIENT-PRINCIPAL-NAME (Http__Identity=EasyAuth);
// a request without a valid token gets 401 before it reaches a function. Function keys stay for ops automation, which
// signs in with an app-only token of the same audience.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(authClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [ '/api/health' ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [ 'api://${authClientId}', authClientId ]
        }
      }
    }
    login: { tokenStore: { enabled: false } }
    httpSettings: { requireHttps: true }
  }
}
