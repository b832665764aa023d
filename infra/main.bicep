// CarTLabPipeline: everything one environment needs, from nothing, with managed identity everywhere.
// Names of containers, queues, tables and the topic are docs/design.md §3 (PipelineNames in code); a test checks they agree.
targetScope = 'resourceGroup'

@minLength(2)
@maxLength(12)
@description('Short environment name, e.g. dev or prod; part of every resource name.')
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

@description('Base URL of the patient timeline linked from emails; default: this app\'s API.')
param timelineBaseUrl string = ''

@description('Time zone of lab times sent without an offset.')
param defaultTimeZone string = 'Europe/Rome'

@secure()
@description('SendGrid API key to store in Key Vault now; empty: load it after deployment (docs/deploy.md).')
param sendGridApiKey string = ''

@description('Principal id of the deploying user (azd: AZURE_PRINCIPAL_ID), allowed to upload the app package.')
param deployerPrincipalId string = ''

@description('Integrate the function app with a new VNet (outbound through the VNet).')
param enableVnetIntegration bool = false

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
var baseName = 'cartlab-${environmentName}'
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
    name: take('stcartlab${environmentName}${suffix}', 24)
    tags: tags
    appPrincipalId: identity.properties.principalId
    deployerPrincipalId: deployerPrincipalId
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
    name: take('kv-cartlab-${environmentName}-${suffix}', 24)
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
    timelineBaseUrl: empty(timelineBaseUrl) ? 'https://${functionAppName}.azurewebsites.net/api/patients/{patientId}/timeline.png' : timelineBaseUrl
    defaultTimeZone: defaultTimeZone
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    subnetId: enableVnetIntegration ? network!.outputs.functionsSubnetId : ''
  }
}

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output SERVICE_BUS_NAMESPACE string = messaging.outputs.fullyQualifiedNamespace
output SERVICE_BUS_EXAMPLE_SUBSCRIPTION string = messaging.outputs.subscriptionName
