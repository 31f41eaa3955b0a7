kubectl get gatewayclass
kubectl apply --server-side -f https://github.com/envoyproxy/gateway/releases/download/v1.2.6/install.yaml
sleep 10
kubectl get pods -n envoy-gateway-system
kubectl apply -f gateway.yaml
kubectl get gatewayclass
kubectl get gateway
kubectl apply -f route.yaml
kubectl get httproute
kubectl get httproute demoapp -o jsonpath='{range .status.parents[*].conditions[*]}{.type}={.status} {.reason}: {.message}{"\n"}{end}'
kubectl apply -f services.yaml
kubectl describe httproute demoapp
kubectl patch httproute demoapp --type=json -p='[{"op":"replace","path":"/spec/rules/0/backendRefs/0/weight","value":0},{"op":"replace","path":"/spec/rules/0/backendRefs/1/weight","value":100}]'
kubectl get httproute demoapp -o jsonpath='{.metadata.generation} {.spec.rules[0].backendRefs[*].weight}{"\n"}'
kubectl apply -f bad-route.yaml
kubectl get gateway,httproute -A
kubectl api-resources --api-group=gateway.networking.k8s.io
