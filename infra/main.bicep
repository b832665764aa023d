// CarTLabPipeline: everything one environment needs, from nothing, with managed identity everywhere.
// Names of containers, queues, tables and the topic are docs/design.md §3 (PipelineNames in code); a test checks they agree.
targetScope = 'resourceGroup'

@minLength(2)
@maxLength(12)
@description('Short environment name, e.g. dev, prod or cartlab-dev; part of every resource name. Letters, digits, - _ . allowed: each name is sanitised to its resource type\'s rule (storage: lowercase letters and digits).')
param environmentName string

param location string = resourceGroup().location

@description('Sender of the alert emails, e.g. "CAR-T alerts <cart-alerts@hospital.example>".')
param emailFrom string

@description('On-call addresses that also receive critical alerts (comma separated).')
param emailOnCall string

@description('Ops addresses: unknown patients, failed deliveries (comma separated).')
param emailOps string

@allowed(['Clinical', 'Minimal'])
@description('How much clinical detail alert emails carry (docs/privacy.md).')
param emailDetail string = 'Clinical'

@description('Base URL of the clinician workspace that emails link ({publicBaseUrl}/app/alerts/{alertId}); default: this app.')
param publicBaseUrl string = ''

@description('Client id of the Entra ID app registration clinicians sign in with (docs/deploy.md); empty: no sign-in yet, every route but /api/health answers 401.')
param authClientId string = ''

@description('Time zone of lab times sent without an offset.')
param defaultTimeZone string = 'Europe/Rome'

@secure()
@description('SendGrid API key to store in Key Vault now; empty: load it after deployment (docs/deploy.md).')
param sendGridApiKey string = ''

@description('Principal id of the deploying user (azd: AZURE_PRINCIPAL_ID), allowed to upload the app package.')
param deployerPrincipalId string = ''

@description('Principal id (user or group) of the ops engineers who run cartlab against this deployment: gets Storage Blob, Queue and Table Data Contributor on the account (docs/deploy.md#on-call). Empty: none.')
param opsPrincipalId string = ''

@allowed(['User', 'Group', 'ServicePrincipal'])
@description('Kind of principal opsPrincipalId is.')
param opsPrincipalType string = 'Group'

@description('Integrate the function app with a new VNet (outbound through the VNet).')
param enableVnetIntegration bool = false

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
// Names must deploy whatever the environment is called (azd env new cartlab-dev): one slug with hyphens for the types
// that allow them, one of lowercase letters and digits only for storage and Key Vault, each with the 13-character suffix.
var envSlug = toLower(replace(replace(environmentName, '_', '-'), '.', '-'))
var envAlnum = replace(envSlug, '-', '')
var baseName = 'cartlab-${envSlug}'
var tags = { application: 'cartlab', environment: environmentName, 'azd-env-name': environmentName }
var containers = ['lab-results', 'lab-results-rejected']
var triggeredQueues = ['lab-results-events', 'lab-results-inbound', 'patient-evaluations', 'alert-notifications']
var queues = concat(triggeredQueues, map(triggeredQueues, q => '${q}-poison'), ['lab-alerts'])
var tables = ['Patients', 'LabResults', 'Alerts', 'IngestedFiles']
var deploymentContainer = 'app-package'
var functionAppName = 'func-${baseName}-${suffix}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${baseName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    name: baseName
    tags: tags
    publisherPrincipalId: identity.properties.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: 'st${take(envAlnum, 9)}${suffix}'
    tags: tags
    appPrincipalId: identity.properties.principalId
    deployerPrincipalId: deployerPrincipalId
    opsPrincipalId: opsPrincipalId
    opsPrincipalType: opsPrincipalType
    containers: containers
    queues: queues
    tables: tables
    deploymentContainer: deploymentContainer
  }
}

module messaging 'modules/messaging.bicep' = {
  name: 'messaging'
  params: {
    location: location
    name: 'sb-${baseName}-${suffix}'
    tags: tags
    topicName: 'lab-alerts'
    appPrincipalId: identity.properties.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: 'kv-${take(envAlnum, 7)}${suffix}'
    tags: tags
    appPrincipalId: identity.properties.principalId
    sendGridApiKey: sendGridApiKey
  }
}

module events 'modules/eventgrid.bicep' = {
  name: 'eventgrid'
  params: {
    location: location
    name: 'evgt-${baseName}'
    tags: tags
    storageAccountName: storage.outputs.name
    container: 'lab-results'
    queueName: 'lab-results-events'
  }
}

module network 'modules/network.bicep' = if (enableVnetIntegration) {
  name: 'network'
  params: {
    location: location
    name: 'vnet-${baseName}'
    tags: tags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    name: functionAppName
    tags: tags
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainer: deploymentContainer
    serviceBusNamespace: messaging.outputs.fullyQualifiedNamespace
    appInsightsConnectionString: monitoring.outputs.connectionString
    sendGridSecretUri: keyVault.outputs.sendGridSecretUri
    emailFrom: emailFrom
    emailOnCall: emailOnCall
    emailOps: emailOps
    emailDetail: emailDetail
    publicBaseUrl: empty(publicBaseUrl) ? 'https://${functionAppName}.azurewebsites.net' : publicBaseUrl
    authClientId: authClientId
    defaultTimeZone: defaultTimeZone
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    subnetId: enableVnetIntegration ? network!.outputs.functionsSubnetId : ''
  }
}

module alarms 'modules/alarms.bicep' = {
  name: 'alarms'
  params: {
    location: location
    name: baseName
    tags: tags
    emailOps: emailOps
    appInsightsId: monitoring.outputs.appInsightsId
    appHostName: functionApp.outputs.defaultHostName
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  params: {
    location: location
    name: baseName
    tags: tags
    appInsightsId: monitoring.outputs.appInsightsId
  }
}

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output SERVICE_BUS_NAMESPACE string = messaging.outputs.fullyQualifiedNamespace
output SERVICE_BUS_EXAMPLE_SUBSCRIPTION string = messaging.outputs.subscriptionName
